#!/usr/bin/env bash
# Shared set-up for a fresh Debian 12 machine: installs what is missing
# (Debian packages), then configures and builds into build/. Idempotent.
# Source it (it exports CUDACXX when needed) or run it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CLUSTERBENCH_BUILD_DIR:-$root/build}"

packages=(build-essential cmake ninja-build pkg-config git
  libopenmpi-dev openmpi-bin libhdf5-dev hdf5-tools libboost-serialization-dev
  libtoml11-dev libhwloc-dev hwloc libgtest-dev libcli11-dev libfmt-dev
  libopenblas-dev libze-dev python3 python3-h5py python3-pandas python3-tables python3-numpy
  iproute2 util-linux)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
  $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi

# The CUDA toolkit lives in its own prefix; CMake finds nvcc through CUDACXX.
if [ -z "${CUDACXX:-}" ] && ! command -v nvcc >/dev/null 2>&1 && [ -x /usr/local/cuda/bin/nvcc ]; then
  export CUDACXX=/usr/local/cuda/bin/nvcc
  echo "setup: CUDACXX=$CUDACXX"
fi

echo "setup: configuring and building in $build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release ${CLUSTERBENCH_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j "$(nproc)"
echo "setup: built $build/clusterbench"
