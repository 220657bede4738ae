#!/usr/bin/env bash
# Installs Triton's perf_analyzer into DIR, once, and writes DIR/perf_analyzer: a wrapper that
# runs it with its shared libraries. `swinserve benchmark perf-analyzer` calls this; running it
# again with the same DIR does nothing more than check the wrapper still runs.
#
# Where the binary comes from: PyPI's `perf-analyzer` package is an empty placeholder; the binary
# ships in tritonclient's manylinux wheel (bin/perf_analyzer). 2.50.0 is the newest whose binary
# runs on glibc 2.36 (later ones need 2.38). It needs two libraries the wheel does not carry:
# libb64.so.0d (Debian's libb64-0d, unpacked here, no root needed) and libcudart.so.12 (the
# nvidia-cuda-runtime-cu12 wheel; no GPU is used, the binary only links it).
set -euo pipefail

dir="${1:?usage: setup.sh DIR}"
tritonclient_version="${TRITONCLIENT_VERSION:-2.50.0}"
cuda_runtime_version="${CUDA_RUNTIME_VERSION:-12.9.79}"
python="${PYTHON:-python3}"

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
wrapper="$dir/perf_analyzer"

if [[ -x "$wrapper" ]] && "$wrapper" --version >/dev/null 2>&1; then
  exit 0
fi
if [[ "$(uname -s)/$(uname -m)" != Linux/x86_64 ]]; then
  echo "setup.sh: perf_analyzer's wheel is for Linux x86_64 only; set SWINSERVE_PERF_ANALYZER" \
    "to a perf_analyzer you installed yourself" >&2
  exit 2
fi

# The wheels: no dependencies, only the binary and the CUDA runtime library are used.
if [[ ! -x "$dir/venv/bin/perf_analyzer" ]]; then
  "$python" -m venv "$dir/venv"
  "$dir/venv/bin/pip" install -q --disable-pip-version-check --no-deps \
    "tritonclient==$tritonclient_version" "nvidia-cuda-runtime-cu12==$cuda_runtime_version"
fi
cuda_lib="$(find "$dir/venv/lib" -path '*/nvidia/cuda_runtime/lib' -type d | head -n 1)"
if [[ -z "$cuda_lib" ]]; then
  echo "setup.sh: no nvidia/cuda_runtime/lib in $dir/venv" >&2
  exit 1
fi

# libb64 from Debian's package, unpacked into DIR (apt-get download needs no root).
b64_lib="$dir/libb64/usr/lib/x86_64-linux-gnu"
if [[ ! -e "$b64_lib/libb64.so.0d" ]]; then
  mkdir -p "$dir/debs"
  if ! (cd "$dir/debs" && apt-get download -q libb64-0d); then
    echo "setup.sh: apt-get download libb64-0d failed; run apt-get update, or put" \
      "libb64.so.0d in $b64_lib" >&2
    exit 1
  fi
  dpkg -x "$(ls "$dir"/debs/libb64-0d_*.deb | head -n 1)" "$dir/libb64"
fi

cat >"$wrapper.tmp" <<WRAPPER
#!/bin/sh
# Written by benchmarks/perf-analyzer/setup.sh: tritonclient $tritonclient_version's perf_analyzer.
LD_LIBRARY_PATH="$b64_lib:$cuda_lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" \\
  exec "$dir/venv/bin/perf_analyzer" "\$@"
WRAPPER
chmod +x "$wrapper.tmp"
mv "$wrapper.tmp" "$wrapper"
"$wrapper" --version
