#!/usr/bin/env bash
# Set up if needed, build, and run every test (GoogleTest units, MPI
# integration tests under mpiexec, Python readers of our HDF5) with ctest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/launch/setup.sh"
echo "test: ctest in $build"
cd "$build"
ctest --output-on-failure -j "$(nproc)" --timeout 300 "$@"
