#!/usr/bin/env bash
# One integration scenario by name; see tests/integration/CMakeLists.txt.
# Environment: CB_BIN (clusterbench), CB_SRC (source tree), CB_OUT (scratch),
# CB_PYTHON (Debian's python3 with h5py/pandas), MPIEXEC.
set -uo pipefail
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$CB_OUT"
name="$1"
out="$CB_OUT/$name"
rm -rf "$out" && mkdir -p "$out"
check="$CB_PYTHON $CB_SRC/tests/python/check_results.py"
mpi() { "${MPIEXEC:-mpiexec}" --oversubscribe "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

case "$name" in
  smoke_np2)
    mpi -n 2 "$CB_BIN" run "$CB_SRC/configs/smoke.toml" -o "$out/r.h5" || fail "exit code $?"
    $check "$out/r.h5" --ranks 2 --nodes 1 --status complete \
      --require-benchmark hardware.stream distributed.pingpong distributed.allreduce ;;
  smoke_np4_oversubscribed)
    mpi -n 4 "$CB_BIN" run "$CB_SRC/configs/smoke.toml" -o "$out/r.h5" || fail "exit code $?"
    $check "$out/r.h5" --ranks 4 --nodes 1 --status complete \
      --require-benchmark hardware.stream distributed.pingpong distributed.allreduce ;;
  bad_suite_exits_2_np2)
    printf '[suite]\nname = "bad"\n\n[[benchmark]]\nname = "distributed.allreduse"\n' >"$out/bad.toml"
    start=$(date +%s)
    mpi -n 2 "$CB_BIN" run "$out/bad.toml" -o "$out/r.h5" >"$out/stdout" 2>"$out/stderr"
    code=$?
    cat "$out/stderr"
    [ "$code" -eq 2 ] || fail "expected exit 2, got $code"
    [ "$(grep -c 'error' "$out/stderr")" -eq 1 ] || fail "expected exactly one error line"
    grep -q "bad.toml:5" "$out/stderr" || fail "message does not name file:line"
    grep -q "distributed.allreduce" "$out/stderr" || fail "no suggestion"
    [ ! -e "$out/r.h5" ] || fail "an output file was written"
    [ $(( $(date +%s) - start )) -lt 30 ] || fail "took too long" ;;
  unwritable_output_exits_2_np2)
    mpi -n 2 "$CB_BIN" run "$CB_SRC/configs/smoke.toml" -o /proc/no/such/dir/r.h5 2>"$out/stderr"
    code=$?
    cat "$out/stderr"
    [ "$code" -eq 2 ] || fail "expected exit 2, got $code"
    grep -q "/proc/no/such/dir/r.h5" "$out/stderr" || fail "message does not name the file" ;;
  dry_run_np2)
    mpi -n 2 "$CB_BIN" run "$CB_SRC/configs/smoke.toml" --dry-run >"$out/stdout" || fail "exit $?"
    cat "$out/stdout"
    grep -q "hardware.stream" "$out/stdout" || fail "plan lacks stream"
    grep -q "@mpi:all2" "$out/stdout" || fail "plan lacks the all-ranks allreduce"
    [ -z "$(ls "$out")" ] || [ "$(ls "$out")" = stdout ] || fail "dry run wrote files" ;;
  list_json)
    "$CB_BIN" list --json >"$out/list.json" || fail "exit $?"
    $CB_PYTHON -c "
import json, sys
data = json.load(open('$out/list.json'))
names = {b['name'] for b in data}
need = {'hardware.stream', 'distributed.pingpong', 'distributed.allreduce'}
assert need <= names, names
for b in data:
    assert b['kind'] in ('hardware','model','cross_model','resource_pool','distributed'), b
    assert b['scope'] in ('local','group'), b
    for p in b['params']: assert p['doc'] and p['type'], p
print('list ok:', sorted(names))" || fail "bad list json" ;;
  hw_json_np2)
    mpi -n 2 "$CB_BIN" hw --json >"$out/hw.json" || fail "exit $?"
    $CB_PYTHON -c "
import json
data = json.load(open('$out/hw.json'))
assert [r['rank'] for r in data['ranks']] == [0, 1], data['ranks']
assert len(data['nodes']) == 1 and data['nodes'][0]['pus'] >= 1
assert any(d['backend'] == 'cpu' and d['status'] == 'ok' for d in data['devices'])
assert any(d['backend'] == 'cuda' and d['status'] != 'ok' for d in data['devices'])
print('hw ok')" || fail "bad hw json" ;;
  single_rank_without_launcher)
    "$CB_BIN" run "$CB_SRC/configs/smoke.toml" -o "$out/r.h5" || fail "exit code $?"
    $check "$out/r.h5" --ranks 1 --nodes 1 --status complete ;;
  *) fail "unknown scenario $name" ;;
esac
echo "PASS: $name"
