#!/usr/bin/env bash
# Runs the pinned buf over the API's protos: ./buf.sh lint | ./buf.sh breaking | ./buf.sh release
#   lint      buf lint of swinserve/v1 (rules and their exceptions: buf.yaml)
#   breaking  buf breaking of swinserve/v1 against the last released API, released/swinserve-v1.json
#   release   records the current API as the released one (at a release, never to silence `breaking`)
# buf and the googleapis protos come from npm (buf/package.json, exact pins; npm ci on first use).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [[ ! -x buf/node_modules/.bin/buf || buf/package-lock.json -nt buf/node_modules/.package-lock.json ]]; then
  (cd buf && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
mkdir -p target/buf-deps/google/rpc
cp buf/node_modules/google-proto-files/google/rpc/status.proto target/buf-deps/google/rpc/status.proto
buf=buf/node_modules/.bin/buf
api=src/main/proto/swinserve
released=released/swinserve-v1.json

# Images of the API (its files and what they import, no source info): compared image to image, so
# both sides name the files alike (swinserve/v1/...).
image() { "$buf" build --path "$api" --exclude-source-info -o "$1"; }

case "${1:-}" in
  lint) "$buf" lint --path "$api" ;;
  breaking) image target/buf-current.json && "$buf" breaking target/buf-current.json --against "$released" ;;
  release) mkdir -p released && image "$released" ;;
  *) echo "usage: $0 lint|breaking|release" >&2; exit 2 ;;
esac
