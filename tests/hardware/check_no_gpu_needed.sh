#!/usr/bin/env bash
# Fails when the binary ($1) needs a GPU runtime library to start: directly
# (its NEEDED entries) or through a library it links (ldd).
set -uo pipefail
bin="$1"
gpu='lib(cuda|cudart|cublas|cublasLt|nccl|nvidia-ml|nvrtc|ze_loader|ze_intel_gpu)\.so'
needed=$(readelf -d "$bin" | grep '(NEEDED)') || { echo "FAIL: readelf found no NEEDED entries in $bin"; exit 1; }
echo "$needed"
if grep -E "$gpu" <<<"$needed"; then
  echo "FAIL: $bin links a GPU runtime (load it with dlopen instead)"
  exit 1
fi
closure=$(ldd "$bin") || { echo "FAIL: ldd $bin"; exit 1; }
if grep -E "$gpu|not found" <<<"$closure"; then
  echo "FAIL: a library that $bin links needs a GPU runtime, or is missing"
  exit 1
fi
echo "PASS: no GPU runtime among $(wc -l <<<"$closure") libraries"
