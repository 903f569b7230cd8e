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
echo "PASS: hw_fake_gpus_assignment"
