#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer build of clusterbench and
# every unit and integration test, in its own folder (build-asan/), then
# ctest on it. CI runs it after launch/test.sh (which installs the packages).
# Left out (ctest labels): `build` (a second, non-sanitized build), and
# `test_cluster` and `slurm` (namespaces and daemons, covered by test.sh).
# See docs/reliability.md for what it found and why the options are these.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CLUSTERBENCH_ASAN_BUILD_DIR:-$root/build-asan}"
flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"

echo "sanitize: configuring and building in $build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCLUSTERBENCH_WITH_CUDA=OFF -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build "$build" -j "$(nproc)"

# Leaks: reported, except those of the MPI runtime and the libraries under it
# (Open MPI allocates for the life of the process and never frees; see
# tests/sanitize/lsan.supp). Every finding fails the test that made it.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$root/tests/sanitize/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
echo "sanitize: ctest in $build (ASAN_OPTIONS=$ASAN_OPTIONS)"
cd "$build"
ctest --output-on-failure -j "$(nproc)" --timeout 600 -LE 'build|test_cluster|slurm' "$@"
