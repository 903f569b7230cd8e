#!/usr/bin/env bash
# The device check for a GPU machine that has CUDA and CMake but no MPI or
# HDF5: builds kernels/ alone (CLUSTERBENCH_KERNELS_ONLY) with CUDA and runs
# its tests, printing what the GPU is. Meant to finish in a few minutes.
#   launch/gpu-check.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build-gpu}"
export CUDACXX="${CUDACXX:-/usr/local/cuda/bin/nvcc}"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
start=$(date +%s)
cmake -S "$root" -B "$build" -DCLUSTERBENCH_KERNELS_ONLY=ON -DCLUSTERBENCH_WITH_CUDA=ON \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES="${CUDA_ARCHS:-90}"
cmake --build "$build" -j "$(nproc)"
echo "gpu-check: built in $(( $(date +%s) - start )) s"
cd "$build"
ctest --output-on-failure
