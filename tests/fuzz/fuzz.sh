#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan, coverage in our
# libraries) in their own folder and fuzzes each for SECONDS (default 300).
#   tests/fuzz/fuzz.sh [SECONDS] [TARGET...]
# Environment: CB_FUZZ_BUILD (default /tmp/build-fuzz), CB_FUZZ_WORK (corpora
# and crashers, default $CB_FUZZ_BUILD/work), CB_FUZZ_JOBS (default 1).
# Needs Debian's clang-14 and libclang-rt-14-dev. New crashers land in
# $CB_FUZZ_WORK/<target>/crashes; copy the ones worth keeping to
# tests/fuzz/regressions/<reader>/ (replayed by ctest in every build).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-300}"; shift || true
targets=("$@"); ((${#targets[@]})) || targets=(fuzz_suite_loader fuzz_hdf5_reader)
build="${CB_FUZZ_BUILD:-/tmp/build-fuzz}"
work="${CB_FUZZ_WORK:-$build/work}"
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"

if [ ! -f "$build/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLUSTERBENCH_FUZZ=ON \
    -DCLUSTERBENCH_WITH_CUDA=OFF -DCLUSTERBENCH_WITH_LEVEL_ZERO=OFF \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" >/dev/null
fi
cmake --build "$build" -j "${CB_FUZZ_JOBS:-1}" --target "${targets[@]}" write_sample_file

# Seeds: the shipped suites and the bad-suite corpus; a real result file and
# the bad-result corpus (generated from it).
mkdir -p "$work"
seed_results() {
  local dir="$work/seeds-hdf5"
  rm -rf "$dir" && mkdir -p "$dir"
  "$build/tests/storage/write_sample_file" "$dir/sample.h5"
  /usr/bin/python3 "$root/tests/data/bad-results/make_bad_results.py" "$dir/sample.h5" "$dir"
  # Files that crash HDF5 itself would only be found again.
  rm -rf "$dir/hdf5-damaged" "$dir/a_directory.h5" "$dir/expected.tsv"
}
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}"
for t in "${targets[@]}"; do
  mkdir -p "$work/$t/corpus" "$work/$t/crashes"
  case "$t" in
    fuzz_suite_loader) seeds=("$root/configs" "$root/tests/data/bad-suites" "$root/tests/fuzz/regressions/suite_loader")
      dict=(-dict="$root/tests/fuzz/toml.dict") ;;
    fuzz_hdf5_reader) seed_results; seeds=("$work/seeds-hdf5" "$root/tests/fuzz/regressions/hdf5_reader"); dict=() ;;
  esac
  echo "fuzz: $t for ${seconds}s"
  (cd "$work/$t/crashes" && "$build/tests/fuzz/$t" "$work/$t/corpus" "${seeds[@]}" "${dict[@]}" \
     -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
     -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -artifact_prefix="$work/$t/crashes/" \
     2>&1 | tee "$work/$t/log" | grep -E "^#|INFO: |crash|deadly|stat::|ERROR" | tail -40) || true
done
