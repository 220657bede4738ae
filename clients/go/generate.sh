#!/usr/bin/env bash
# Regenerates api/swinserve/v1 from proto/src/main/proto (the repository's one copy of the API).
#
# protoc: $PROTOC, else the protoc the Maven build already fetched (com.google.protobuf:protoc
# 3.25.5 in ~/.m2). google/rpc/status.proto comes from the Maven jar
# com.google.api.grpc:proto-google-common-protos and the google/protobuf/any.proto it imports from
# com.google.protobuf:protobuf-java, unpacked into a temporary folder and never committed. The Go plugins are the versions go.mod pins as tools (go tool protoc-gen-go ...).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
protos="$here/../../proto/src/main/proto"
m2="${M2_REPOSITORY:-$HOME/.m2/repository}"
protoc="${PROTOC:-$m2/com/google/protobuf/protoc/3.25.5/protoc-3.25.5-linux-x86_64.exe}"
common_jar="${COMMON_PROTOS_JAR:-$m2/com/google/api/grpc/proto-google-common-protos/2.41.0/proto-google-common-protos-2.41.0.jar}"
protobuf_jar="${PROTOBUF_JAR:-$m2/com/google/protobuf/protobuf-java/3.25.5/protobuf-java-3.25.5.jar}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/include" "$tmp/bin"
(cd "$tmp/include" && unzip -q "$common_jar" 'google/rpc/status.proto' \
  && unzip -q "$protobuf_jar" 'google/protobuf/any.proto')
cd "$here"
go build -o "$tmp/bin/protoc-gen-go" google.golang.org/protobuf/cmd/protoc-gen-go
go build -o "$tmp/bin/protoc-gen-go-grpc" google.golang.org/grpc/cmd/protoc-gen-go-grpc
# Maven stores protoc without the executable bit.
cp "$protoc" "$tmp/bin/protoc" && chmod +x "$tmp/bin/protoc"

rm -f api/swinserve/v1/*.pb.go
"$tmp/bin/protoc" \
  --plugin=protoc-gen-go="$tmp/bin/protoc-gen-go" \
  --plugin=protoc-gen-go-grpc="$tmp/bin/protoc-gen-go-grpc" \
  -I "$protos" -I "$tmp/include" \
  --go_out=. --go_opt=module=swinserve.dev/go \
  --go-grpc_out=. --go-grpc_opt=module=swinserve.dev/go \
  "$protos"/swinserve/v1/*.proto
