#!/usr/bin/env bash
# `clusterbench hw` under MPI with the fake GPU drivers (fake_cuda.cpp,
# fake_ze_loader.cpp) on the library path: ranks of a node get distinct GPUs,
# a rank left over is a row saying so, and GPUs bound per rank by the
# launcher are all used. Environment: see tests/hardware/CMakeLists.txt.
set -uo pipefail
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fail() { echo "FAIL: $*"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
backends=()
[ "$CB_HAVE_CUDA" = ON ] && backends+=(cuda)
[ "$CB_HAVE_LEVEL_ZERO" = ON ] && backends+=(level_zero)
export LD_LIBRARY_PATH="$CB_FAKE_GPU_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
run() { "${MPIEXEC:-mpiexec}" --oversubscribe "$@"; }

# 4 ranks sharing 2 GPUs of each backend.
FAKE_CUDA_DEVICES=2 FAKE_ZE_DEVICES=2 run -n 4 "$CB_BIN" hw >"$out/table" || fail "hw exit $?"
cat "$out/table"
FAKE_CUDA_DEVICES=2 FAKE_ZE_DEVICES=2 run -n 4 "$CB_BIN" hw --json >"$out/shared.json" || fail "hw --json exit $?"
# 2 ranks, each bound by the launcher to its own GPU (seen as index 0).
run -n 2 bash -c 'r=$OMPI_COMM_WORLD_LOCAL_RANK; CUDA_VISIBLE_DEVICES=$r ZE_AFFINITY_MASK=$r FAKE_CUDA_DEVICES=2 FAKE_ZE_DEVICES=2 exec "$0" hw --json' "$CB_BIN" >"$out/bound.json" || fail "bound hw exit $?"

"$CB_PYTHON" - "$out" "${backends[@]}" <<'PY' || fail "wrong assignment"
import json, sys
out, backends = sys.argv[1], sys.argv[2:]
label = {"cuda": "CUDA", "level_zero": "Level Zero"}
def rows(data, rank, backend):
    return [d for d in data["devices"] if d["rank"] == rank and d["backend"] == backend]
shared = json.load(open(f"{out}/shared.json"))
bound = json.load(open(f"{out}/bound.json"))
for b in backends:
    for r in range(4):
        got = rows(shared, r, b)
        assert len(got) == 1, (b, r, got)
        if r < 2:
            assert got[0]["status"] == "ok" and got[0]["index"] == r, (b, r, got)
        else:
            want = f"{label[b]}: 2 devices on this node, local rank {r} has none (more ranks than GPUs)"
            assert got[0]["status"] == want and got[0]["index"] == -1, (b, r, got)
    for r in range(2):
        got = rows(bound, r, b)
        assert len(got) == 1 and got[0]["status"] == "ok" and got[0]["index"] == 0, (b, r, got)
    print(f"{b}: shared and bound assignments ok")
PY
# Benchmarks on the fake GPUs: the probe finds them, so cases are placed on
# them, and the CUDA runtime's refusal of the fake driver (the plugin is
# real) makes the cases skipped with the reason, NCCL's agreed by all ranks.
# The same binary copied away from its plugins skips them as not found.
if [ "$CB_HAVE_CUDA" = ON ]; then
  cat >"$out/gpu.toml" <<'TOML'
[suite]
name = "fake-gpus"
max_time_s = 0.2
[[benchmark]]
name = "hardware.stream"
backend = "cuda"
[[benchmark]]
name = "distributed.allreduce"
backend = "cuda"
sizes = "1KiB"
TOML
  cp "$CB_BIN" "$out/alone"
  for bin in "$CB_BIN" "$out/alone"; do
    rm -f "$out/gpu.h5"
    FAKE_CUDA_DEVICES=2 timeout 120 "${MPIEXEC:-mpiexec}" --oversubscribe -n 2 \
      "$bin" run "$out/gpu.toml" -o "$out/gpu.h5" >"$out/gpu.log" 2>&1 ||
      { cat "$out/gpu.log"; fail "run on fake GPUs ($bin) exit $?"; }
    "$CB_PYTHON" - "$out/gpu.h5" "$bin" <<'PY' || fail "fake GPU cases ($bin)"
import sys, h5py, pandas as pd
cases = pd.DataFrame(h5py.File(sys.argv[1])["cases"][()])
for c in ("benchmark", "status", "error", "backend"):
    cases[c] = cases[c].str.decode("utf-8")
assert len(cases) == 3 and (cases.backend == "cuda").all(), cases
assert (cases.status == "skipped").all(), cases[["benchmark", "status", "error"]]
alone = sys.argv[2].endswith("/alone")
want = "libclusterbench-cuda.so not found" if alone else "cuda backend: no usable GPU"
assert cases.error.str.contains(want).all(), list(cases.error)
print(f"{len(cases)} GPU cases skipped: {cases.error.iloc[0][:100]}")
PY
  done
fi
echo "PASS: hw_fake_gpus_assignment"
