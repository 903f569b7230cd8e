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
  models_np2)
    mpi -n 2 "$CB_BIN" run "$CB_SRC/tests/integration/models.toml" -o "$out/r.h5" >"$out/stdout" || fail "exit code $?"
    cat "$out/stdout"
    $check "$out/r.h5" --ranks 2 --nodes 1 --status complete \
      --require-benchmark model.transformer model.mlp cross_model.colocate resource_pool.serve || fail "check_results"
    $CB_PYTHON "$CB_SRC/tests/python/check_models.py" "$out/r.h5" || fail "check_models"
    for section in "Model inference" "Throughput by backend" "Interference" "Serving pool"; do
      grep -q "$section" "$out/stdout" || fail "summary lacks '$section'"
    done ;;
  rounds_pool_samples_np2)
    # rounds = 3 and 5 samples: each round takes ceil(5/3) = 2, so every case
    # (local and group) ends up with 6 samples (not 5) pooled in one case.
    cat >"$out/rounds.toml" <<'TOML'
[suite]
name = "rounds"
rounds = 3
min_samples = 5
max_samples = 5
max_time_s = 0.3
[[benchmark]]
name = "hardware.flops"
dtype = "float64"
[[benchmark]]
name = "distributed.pingpong"
sizes = [8, 4096]
TOML
    mpi -n 2 "$CB_BIN" run "$out/rounds.toml" -o "$out/r.h5" >"$out/stdout" || fail "exit code $?"
    $check "$out/r.h5" --ranks 2 --nodes 1 --status complete || fail "check_results"
    $CB_PYTHON - "$out/r.h5" <<'PY' || fail "samples not pooled"
import sys, pandas as pd
f = sys.argv[1]
cases = pd.read_hdf(f, "cases")
metrics = pd.read_hdf(f, "metrics")
samples = pd.read_hdf(f, "samples")
ok = cases[cases.status == "ok"]
assert len(ok) == 3, cases[["key", "status", "error"]]
for _, c in ok.iterrows():
    m = metrics[metrics.case_id == c.case_id]
    assert (m.n == 6).all(), (c.key, list(m.n))
    s = samples[(samples.case_id == c.case_id) & (samples.rank == (0 if c.scope == "local" else -1))]
    for name, g in s.groupby("metric"):
        assert sorted(g["index"]) == list(range(6)), (c.key, name, sorted(g["index"]))
print("rounds pooled:", len(ok), "cases, 6 samples each")
PY
    ;;
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
    [ -z "$(ls "$out")" ] || [ "$(ls "$out")" = stdout ] || fail "dry run wrote files"
    mpi -n 2 "$CB_BIN" run "$CB_SRC/configs/smoke.toml" --dry-run --only 'distributed.pingpong*' >"$out/only" || fail "exit $?"
    grep -q "distributed.pingpong" "$out/only" || fail "--only dropped the matching cases"
    ! grep -qE "hardware.stream|distributed.allreduce" "$out/only" || fail "--only kept other cases"
    mpi -n 2 "$CB_BIN" run "$CB_SRC/configs/smoke.toml" --dry-run --only 'nothing*' 2>"$out/none"
    [ $? -eq 2 ] || fail "--only matching nothing must exit 2"
    grep -q "matches no case" "$out/none" || fail "no message for an empty --only" ;;
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
  failing_cases_recorded_np2)
    cat >"$out/faults.toml" <<'TOML'
[suite]
name = "faults"
max_time_s = 0.2
[[benchmark]]
name = "hardware.test_fail_setup"
fail_rank = 0
[[benchmark]]
name = "distributed.test_fail_setup"
fail_rank = 1
[[benchmark]]
name = "distributed.test_wrong"
fail_rank = 1
[[benchmark]]
name = "hardware.test_noop"
[[benchmark]]
name = "distributed.test_corrupt"
size = "4KiB"
TOML
    mpi -n 2 "$CB_FAULTS" run "$out/faults.toml" -o "$out/r.h5" >"$out/stdout" 2>&1
    code=$?
    cat "$out/stdout"
    [ "$code" -eq 3 ] || fail "expected exit 3 (cases failed), got $code"
    $CB_PYTHON - "$out/r.h5" <<'PY' || fail "wrong failure records"
import sys, h5py, pandas as pd
f = h5py.File(sys.argv[1])
assert f.attrs["status"] == "complete", f.attrs["status"]
cases = pd.DataFrame(f["cases"][()])
for col in ("benchmark", "status", "error"):
    cases[col] = cases[col].str.decode("utf-8")
by = dict(zip(cases.benchmark, zip(cases.status, cases.error)))
print(by)
assert by["hardware.test_fail_setup"][0] == "failed" and "injected setup failure" in by["hardware.test_fail_setup"][1]
assert by["distributed.test_fail_setup"][0] == "failed" and "rank 1" in by["distributed.test_fail_setup"][1]
assert by["distributed.test_wrong"][0] == "failed" and "verification failed" in by["distributed.test_wrong"][1]
assert by["hardware.test_noop"][0] == "ok"
corrupt = by["distributed.test_corrupt"]
assert corrupt[0] == "failed" and "1 wrong elements of 1024" in corrupt[1], corrupt
metrics = pd.read_hdf(sys.argv[1], "metrics")
wrong = cases[cases.benchmark == "distributed.test_wrong"].case_id.iloc[0]
assert (metrics[metrics.case_id == wrong].valid == 0).all(), "failed case metrics must be invalid"
PY
    ;;
  fatal_error_ends_job_np2)
    cat >"$out/fatal.toml" <<'TOML'
[suite]
name = "fatal"
max_time_s = 0.2
[[benchmark]]
name = "hardware.test_noop"
[[benchmark]]
name = "distributed.test_fatal"
fail_rank = 1
TOML
    start=$(date +%s)
    timeout 50 "${MPIEXEC:-mpiexec}" --oversubscribe -n 2 "$CB_FAULTS" run "$out/fatal.toml" -o "$out/r.h5" >"$out/stdout" 2>&1
    code=$?
    took=$(( $(date +%s) - start ))
    cat "$out/stdout"
    [ "$code" -ne 124 ] || fail "the job hung"
    [ "$code" -ne 0 ] || fail "a fatal error must not exit 0"
    [ "$took" -lt 20 ] || fail "took ${took}s to end"
    grep -q "injected fatal error mid-run" "$out/stdout" || fail "no message"
    $CB_PYTHON - "$out/r.h5" <<'PY' || fail "partial file unreadable"
import sys, h5py, pandas as pd
f = h5py.File(sys.argv[1])
assert f.attrs["status"] == "partial", f.attrs["status"]
cases = pd.DataFrame(f["cases"][()])
assert b"hardware.test_noop" in set(cases.benchmark), cases
print("partial file ok:", len(cases), "case(s)")
PY
    ;;
  framework_overhead_np2)
    printf '[suite]\nname = "overhead"\nwarmup = 2\nmin_samples = 5\nmax_samples = 5\n[[benchmark]]\nname = "hardware.test_noop"\nfail_rank = [-1, -2, -3, -4, -5, -6, -7, -8, -9, -10]\n' >"$out/o.toml"
    mpi -n 2 "$CB_FAULTS" run "$out/o.toml" -o "$out/r.h5" >"$out/stdout" 2>&1 || { cat "$out/stdout"; fail "exit $?"; }
    $CB_PYTHON - "$out/r.h5" <<'PY' || fail "overhead check"
import sys, h5py, pandas as pd
f = h5py.File(sys.argv[1])
cases = pd.DataFrame(f["cases"][()])
assert len(cases) == 10 and (cases.status == b"ok").all(), cases
metrics = pd.read_hdf(sys.argv[1], "metrics")
n = metrics[metrics.metric == b"time"].n if metrics.metric.dtype == object and isinstance(metrics.metric.iloc[0], bytes) else metrics[metrics.metric == "time"].n
assert (n == 5).all(), n
# Each sample is batched to min_sample_time_s (1 ms); warm-up and calibration
# add about as much again. The rest of the wall time is the framework's.
measured = 5 * 1e-3
overhead = cases.wall_s - measured
print(f"framework overhead per trivial case: median {overhead.median()*1e3:.2f} ms, "
      f"max {overhead.max()*1e3:.2f} ms (wall {cases.wall_s.median()*1e3:.2f} ms)")
PY
    ;;
  killed_root_keeps_finished_cases_np2)
    # Rank 0 runs one long case while rank 1 finishes six short ones; rank 0
    # is killed mid-case. Rank 1's results must already be in the file: rank 0
    # takes them in between its own samples, not only between cases.
    cat >"$out/kill.toml" <<'TOML'
[suite]
name = "kill"
isolation = "rank"
min_samples = 100
max_samples = 100
max_time_s = 100
[[benchmark]]
name = "hardware.test_slow"
[[benchmark]]
name = "hardware.test_noop"
fail_rank = [-1, -2, -3, -4, -5, -6]
TOML
    "${MPIEXEC:-mpiexec}" --oversubscribe -n 2 "$CB_FAULTS" run "$out/kill.toml" -o "$out/r.h5" >"$out/stdout" 2>&1 &
    launcher=$!
    sleep 3
    pid=$($CB_PYTHON -c "import h5py; print(h5py.File('$out/r.h5')['ranks'][0]['pid'])") || fail "no ranks table"
    kill -9 "$pid"
    timeout 20 bash -c "wait $launcher" 2>/dev/null; wait $launcher 2>/dev/null
    cat "$out/stdout"
    $CB_PYTHON - "$out/r.h5" <<'PY' || fail "finished cases were lost"
import sys, h5py, pandas as pd
f = h5py.File(sys.argv[1])
assert f.attrs["status"] == "partial", f.attrs["status"]
cases = pd.DataFrame(f["cases"][()])
names = list(cases.benchmark.str.decode("utf-8")) if len(cases) else []
print("cases in the killed run's file:", names)
assert names.count("hardware.test_noop") == 6, names
assert "hardware.test_slow" not in names, names
PY
    ;;
  sigterm_leaves_partial_file_np2)
    # A Slurm time limit sends SIGTERM to every task: the run must stop within
    # a second or two with a clear message and a readable partial file.
    cat >"$out/sig.toml" <<'TOML'
[suite]
name = "sigterm"
min_samples = 100
max_samples = 100
max_time_s = 100
[[benchmark]]
name = "hardware.test_noop"
fail_rank = [-1, -2]
[[benchmark]]
name = "hardware.test_slow"
[[benchmark]]
name = "distributed.test_wrong"
TOML
    "${MPIEXEC:-mpiexec}" --oversubscribe -n 2 "$CB_FAULTS" run "$out/sig.toml" -o "$out/r.h5" >"$out/stdout" 2>&1 &
    launcher=$!
    sleep 2.5
    pids=$($CB_PYTHON -c "import h5py; print(' '.join(str(p) for p in h5py.File('$out/r.h5')['ranks']['pid']))") || fail "no ranks table"
    start=$(date +%s%N)
    kill -TERM $pids
    timeout 20 bash -c "while kill -0 $launcher 2>/dev/null; do sleep 0.05; done" || fail "the job did not end within 20 s"
    wait $launcher
    code=$?
    took=$(( ($(date +%s%N) - start) / 1000000 ))
    cat "$out/stdout"
    echo "ended ${took} ms after SIGTERM with exit code $code"
    [ "$code" -ne 0 ] || fail "an interrupted run must not exit 0"
    [ "$took" -lt 5000 ] || fail "took ${took} ms to stop"
    grep -q "interrupted by SIGTERM: stopped after 2 of 4 cases" "$out/stdout" || fail "no clear message"
    $check "$out/r.h5" --ranks 2 --nodes 1 --status partial || fail "partial file not readable"
    # --resume refuses another job size (the file's /ranks describe 2 ranks).
    mpi -n 3 "$CB_FAULTS" run "$out/sig.toml" --resume "$out/r.h5" 2>"$out/err3"
    [ $? -eq 2 ] && grep -q "written by 2 ranks" "$out/err3" || { cat "$out/err3"; fail "resume with 3 ranks must exit 2"; }
    # --resume runs only what is missing and completes the same file.
    mpi -n 2 "$CB_FAULTS" run "$out/sig.toml" --resume "$out/r.h5" >"$out/resume" 2>&1 || { cat "$out/resume"; fail "resume exit $?"; }
    grep -q "resuming .*2 case(s) already ok, 2 to run" "$out/resume" || { cat "$out/resume"; fail "resume did not skip the finished cases"; }
    $check "$out/r.h5" --ranks 2 --nodes 1 --status complete || fail "resumed file"
    $CB_PYTHON - "$out/r.h5" <<'PY' || fail "resumed content"
import sys, h5py, pandas as pd
f = h5py.File(sys.argv[1])
cases = pd.DataFrame(f["cases"][()])
assert len(cases) == 4 and cases.case_id.is_unique, cases[["case_id", "key", "status"]]
assert (cases.status == b"ok").all(), cases.status
assert "resumed_utc" in f.attrs
PY
    mpi -n 2 "$CB_FAULTS" run "$out/sig.toml" --resume "$out/r.h5" 2>"$out/err"
    [ $? -eq 2 ] && grep -q "already ok" "$out/err" || fail "resuming a finished file must say so (exit 2)"
    ;;
  case_timeout_np2)
    # A case slower than its timeout_s is stopped between samples and recorded
    # as "timeout" with what it measured; the run goes on (exit 3).
    cat >"$out/t.toml" <<'TOML'
[suite]
name = "timeout"
min_samples = 100
max_samples = 100
max_time_s = 100
[[benchmark]]
name = "hardware.test_slow"
timeout_s = 1.0
[[benchmark]]
name = "distributed.test_wrong"
TOML
    mpi -n 2 "$CB_FAULTS" run "$out/t.toml" -o "$out/r.h5" >"$out/stdout" 2>&1
    code=$?
    grep -E "timeout|test_wrong" "$out/stdout" | head -4
    [ "$code" -eq 3 ] || fail "expected exit 3, got $code"
    $CB_PYTHON - "$out/r.h5" <<'PY' || fail "timeout record"
import sys, h5py, pandas as pd
f = h5py.File(sys.argv[1])
assert f.attrs["status"] == "complete"
cases = pd.DataFrame(f["cases"][()])
t = lambda v: v.decode() if isinstance(v, bytes) else v
by = {t(b): (t(s), t(e), w) for b, s, e, w in zip(cases.benchmark, cases.status, cases.error, cases.wall_s)}
status, error, wall = by["hardware.test_slow"]
assert status == "timeout" and "timeout_s" in error and wall < 5, by
assert by["distributed.test_wrong"][0] == "ok", by
PY
    ;;
  watchdog_ends_hung_case_np2)
    # A case that never returns: the watchdog ends the job soon after
    # timeout_s, with a message, and the file keeps what finished before.
    cat >"$out/h.toml" <<'TOML'
[suite]
name = "hang"
[[benchmark]]
name = "hardware.test_noop"
[[benchmark]]
name = "hardware.test_hang"
timeout_s = 1.0
TOML
    start=$(date +%s%N)
    timeout 60 "${MPIEXEC:-mpiexec}" --oversubscribe -n 2 "$CB_FAULTS" run "$out/h.toml" -o "$out/r.h5" >"$out/stdout" 2>&1
    code=$?
    took=$(( ($(date +%s%N) - start) / 1000000 ))
    grep -E "fatal|watchdog|did not come back" "$out/stdout"
    echo "ended after ${took} ms with exit code $code"
    [ "$code" -ne 124 ] || fail "the job hung"
    [ "$code" -ne 0 ] || fail "a hung case must not exit 0"
    [ "$took" -lt 25000 ] || fail "took ${took} ms"
    grep -q "hardware.test_hang.*did not come back" "$out/stdout" || fail "no message naming the case"
    $check "$out/r.h5" --ranks 2 --nodes 1 --status partial || fail "partial file"
    ;;
  compare_detects_injected_slowdown)
    mpi -n 2 "$CB_BIN" run "$CB_SRC/configs/smoke.toml" -o "$out/base.h5" >/dev/null || fail "run exit $?"
    # A file against itself: nothing moved.
    "$CB_BIN" compare "$out/base.h5" "$out/base.h5" >"$out/same" || { cat "$out/same"; fail "A/A exit $?"; }
    grep -q "0 regressions\|no regression\|unchanged" "$out/same" || fail "A/A output"
    # A copy whose 64 KiB allreduce is 30% slower must be caught, and named.
    $CB_PYTHON "$CB_SRC/tests/python/inject_slowdown.py" "$out/base.h5" "$out/slow.h5" "library=auto,size=65536]@mpi" 1.3 || fail "inject"
    start=$(date +%s%N)
    "$CB_BIN" compare "$out/slow.h5" "$out/base.h5" --report md,csv,json,junit >"$out/cmp"
    code=$?
    echo "compare took $(( ($(date +%s%N) - start) / 1000000 )) ms"
    grep -E "regression" "$out/cmp" | head -5
    [ "$code" -eq 1 ] || fail "expected exit 1 (regression), got $code"
    grep -q "regression.*size=65536" "$out/cmp" || fail "the slowed case is not named"
    $CB_PYTHON - "$out" <<'PY' || fail "reports"
import csv, json, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
rows = list(csv.DictReader(open(f"{d}/slow.comparison.csv")))
bad = {r["key"] for r in rows if r["verdict"] == "regression"}
assert bad and all("size=65536]" in k for k in bad), bad
assert json.load(open(f"{d}/slow.comparison.json"))["regressions"] >= 1
suite = ET.parse(f"{d}/slow.comparison.junit.xml").getroot()
assert int(suite.get("failures")) >= 1, suite.attrib
assert open(f"{d}/slow.comparison.md").read().startswith("###")
print("reports ok:", sorted(bad))
PY
    # History: the last runs of the same suite and hardware, samples pooled.
    mkdir -p "$out/hist"
    for i in 1 2 3; do cp "$out/base.h5" "$out/hist/run$i.h5"; done
    echo "not a result" >"$out/hist/junk.h5"
    "$CB_BIN" compare "$out/base.h5" --history "$out/hist" --last 2 >"$out/h_same" 2>&1 || { cat "$out/h_same"; fail "history A/A exit $?"; }
    grep -q "baseline: 2 earlier run(s)" "$out/h_same" || fail "history did not take the last 2 runs"
    grep -q "skipping" "$out/h_same" || fail "an unreadable file in the history was not reported"
    "$CB_BIN" compare "$out/slow.h5" --history "$out/hist" --report md --force >"$out/h_slow" 2>&1
    [ $? -eq 1 ] || { cat "$out/h_slow"; fail "history: the slowdown was not a regression"; }
    grep -q "^trend .*size=65536" "$out/h_slow" || fail "no trend line for the regression"
    grep -q "Trend over the history" "$out/slow.comparison.md" || fail "no trend in the Markdown report"
    # Several runs of the current build, judged together against the history.
    cp "$out/slow.h5" "$out/slow2.h5"
    "$CB_BIN" compare "$out/slow.h5" "$out/slow2.h5" --history "$out/hist" >"$out/h_two" 2>&1
    [ $? -eq 1 ] || { cat "$out/h_two"; fail "history, 2 current runs: the slowdown was not a regression"; }
    grep -q "current: 2 runs, samples pooled" "$out/h_two" || fail "the 2 current runs were not pooled"
    grep -q "^trend .*size=65536.*(now, 2 runs)" "$out/h_two" || fail "no trend line over both current runs"
    "$CB_BIN" compare "$out/slow.h5" "$out/slow2.h5" "$out/base.h5" 2>"$out/err"
    [ $? -eq 2 ] || fail "3 files without --history must exit 2"
    grep -q "one BASELINE.h5" "$out/err" || fail "3 files without --history: $(cat "$out/err")"
    # A "repeat" of another suite (same length name, so the file stays valid).
    $CB_PYTHON -c "
import shutil, h5py
shutil.copyfile('$out/slow.h5', '$out/other.h5'); f = h5py.File('$out/other.h5', 'r+')
f['suite'][()] = f['suite'][()].replace(b'name = \"smoke\"', b'name = \"smoky\"')" || fail "rename suite"
    "$CB_BIN" compare "$out/slow.h5" "$out/other.h5" --history "$out/hist" 2>"$out/err"
    [ $? -eq 2 ] || fail "a current run of another suite must exit 2"
    grep -q "other.h5: not a run of the same suite" "$out/err" || fail "other suite: $(cat "$out/err")"
    "$CB_BIN" compare "$out/slow.h5" 2>"$out/err"
    [ $? -eq 2 ] || fail "compare without a baseline must exit 2" ;;
  bad_baselines_exit_2)
    mpi -n 2 "$CB_BIN" run "$CB_SRC/configs/smoke.toml" -o "$out/good.h5" >/dev/null || fail "run exit $?"
    head -c 5000 "$out/good.h5" >"$out/truncated.h5"
    echo "not hdf5" >"$out/text.h5"
    $CB_PYTHON -c "
import shutil, h5py
shutil.copyfile('$out/good.h5', '$out/v2.h5'); h5py.File('$out/v2.h5', 'r+').attrs['schema_version'] = 2
shutil.copyfile('$out/good.h5', '$out/notable.h5'); f = h5py.File('$out/notable.h5', 'r+'); del f['metrics']"
    for b in missing.h5 truncated.h5 text.h5 v2.h5 notable.h5; do
      "$CB_BIN" compare "$out/good.h5" "$out/$b" >/dev/null 2>"$out/err"
      code=$?
      echo "$b: exit $code: $(cat "$out/err")"
      [ "$code" -eq 2 ] || fail "$b: expected exit 2, got $code"
      grep -q "$out/$b" "$out/err" || fail "$b: message does not name the file"
    done
    # alpha outside (0, 1) would make the runs' prediction interval infinite
    # or empty: a bad option, named, exit 2.
    for a in 0 1 -0.1 x; do
      "$CB_BIN" compare "$out/good.h5" "$out/good.h5" --alpha "$a" >/dev/null 2>"$out/err"
      code=$?
      [ "$code" -eq 2 ] || fail "--alpha $a: expected exit 2, got $code"
      grep -q -- "--alpha" "$out/err" || fail "--alpha $a: message does not name the option"
    done
    # run --baseline with a bad baseline stops before running anything.
    mpi -n 2 "$CB_BIN" run "$CB_SRC/configs/smoke.toml" -o "$out/never.h5" --baseline "$out/v2.h5" 2>"$out/err"
    code=$?
    [ "$code" -eq 2 ] || fail "run --baseline bad: expected exit 2, got $code"
    [ ! -e "$out/never.h5" ] || fail "run went ahead with a bad baseline" ;;
  run_with_baseline_writes_comparison)
    mpi -n 2 "$CB_BIN" run "$CB_SRC/configs/smoke.toml" -o "$out/base.h5" >/dev/null || fail "run exit $?"
    mpi -n 2 "$CB_BIN" run "$CB_SRC/configs/smoke.toml" -o "$out/cur.h5" --baseline "$out/base.h5" \
      --report md,junit >"$out/stdout" 2>&1
    code=$?
    tail -5 "$out/stdout"
    [ "$code" -eq 0 ] || [ "$code" -eq 1 ] || fail "exit $code"
    $check "$out/cur.h5" --ranks 2 --nodes 1 --status complete || fail "check_results"
    $CB_PYTHON - "$out/cur.h5" "$code" <<'PY' || fail "comparison table"
import sys, h5py, pandas as pd
f = h5py.File(sys.argv[1])
cmp = pd.read_hdf(sys.argv[1], "comparison")
assert len(cmp) > 10, len(cmp)
assert f["comparison"].attrs["baseline"].endswith("base.h5")
regressions = (cmp.verdict.map(lambda v: v.decode() if isinstance(v, bytes) else v) == "regression").sum()
assert (regressions > 0) == (sys.argv[2] == "1"), (regressions, sys.argv[2])
print(len(cmp), "comparison rows,", regressions, "regressions; exit code agrees")
PY
    [ -f "$out/cur.comparison.md" ] && [ -f "$out/cur.comparison.junit.xml" ] && [ -f "$out/cur.md" ] || fail "report files"
    "$CB_BIN" export "$out/cur.h5" --report csv,json --report-prefix "$out/exported" || fail "export exit $?"
    [ -s "$out/exported.csv" ] && [ -s "$out/exported.json" ] && [ -s "$out/exported.comparison.csv" ] || fail "export files" ;;
  hw_without_gpu_runtimes)
    # Nothing GPU on the library path: the binary must start, and each GPU
    # backend is one row per rank whose status says why it has no device
    # (DESIGN.md: a missing runtime is a /devices row, never a crash). A host
    # with a driver in a system directory lists its devices instead.
    mkdir -p "$out/empty"
    LD_LIBRARY_PATH="$out/empty" mpi -n 2 "$CB_BIN" hw --json >"$out/hw.json" 2>"$out/stderr"
    code=$?
    cat "$out/stderr"
    [ "$code" -eq 0 ] || fail "exit code $code"
    $CB_PYTHON - "$out/hw.json" <<'PY' || fail "bad /devices rows"
import json, sys
devices = json.load(open(sys.argv[1]))["devices"]
for rank in (0, 1):
    cpu = [d for d in devices if d["rank"] == rank and d["backend"] == "cpu"]
    assert len(cpu) == 1 and cpu[0]["status"] == "ok", cpu
    for backend, label in (("cuda", "CUDA: "), ("level_zero", "Level Zero: ")):
        rows = [d for d in devices if d["rank"] == rank and d["backend"] == backend]
        assert len(rows) == 1, (rank, backend, rows)
        row = rows[0]
        if row["status"] == "ok":
            print(f"rank {rank} {backend}: device #{row['index']} {row['name']} (driver in a system directory)")
            continue
        assert row["index"] == -1 and row["status"].startswith(label), row
        why = ("no driver", "no loader", "not built", "no device", "more ranks than GPUs")
        assert any(w in row["status"] for w in why), row
        print(f"rank {rank} {backend}: {row['status']}")
PY
    ;;
  existing_outputs_kept_np2)
    # A result or report a user already has is replaced only with --force
    # (docs/reliability.md, "Files a command writes").
    cat >"$out/q.toml" <<'TOML'
[suite]
name = "quick"
max_time_s = 0.2
[[benchmark]]
name = "hardware.test_noop"
TOML
    md5() { md5sum "$1" | cut -d' ' -f1; }
    refused() {  # refused WHAT FILE-NAMED CMD...: exit 2, one line naming it
      local what="$1" named="$2"; shift 2
      "$@" >"$out/o" 2>"$out/e"; local code=$?
      [ "$code" -eq 2 ] || { cat "$out/o" "$out/e"; fail "$what: exit $code, expected 2"; }
      [ "$(grep -c 'clusterbench: error' "$out/e")" -eq 1 ] || { cat "$out/e"; fail "$what: not one error line"; }
      grep -q "$named exists; --force replaces it" "$out/e" || { cat "$out/e"; fail "$what: does not name $named"; }
    }
    mpi -n 2 "$CB_FAULTS" run "$out/q.toml" -o "$out/r.h5" >/dev/null || fail "first run exit $?"
    before=$(md5 "$out/r.h5")
    refused "run -o EXISTING" "$out/r.h5" mpi -n 2 "$CB_FAULTS" run "$out/q.toml" -o "$out/r.h5"
    grep -q -- "--resume $out/r.h5 completes it, or choose another -o" "$out/e" || fail "no ways out named"
    [ "$(md5 "$out/r.h5")" = "$before" ] || fail "the refused run changed the file"
    mpi -n 2 "$CB_FAULTS" run "$out/q.toml" -o "$out/r.h5" --force >/dev/null || fail "--force exit $?"
    [ "$(md5 "$out/r.h5")" != "$before" ] || fail "--force did not replace the file"
    # Reports next to a new -o: an earlier run's report is kept too.
    echo "my notes" >"$out/n.md"
    refused "run --report over a report" "$out/n.md" mpi -n 2 "$CB_FAULTS" run "$out/q.toml" -o "$out/n.h5" --report md
    [ ! -e "$out/n.h5" ] || fail "a refused run left $out/n.h5"
    [ "$(cat "$out/n.md")" = "my notes" ] || fail "the refused run changed n.md"
    mpi -n 2 "$CB_FAULTS" run "$out/q.toml" -o "$out/n.h5" --report md --force >/dev/null || fail "--report --force exit $?"
    grep -q "^#" "$out/n.md" || fail "--force did not write the report"
    # -o the baseline itself: refused even with --force.
    mpi -n 2 "$CB_FAULTS" run "$out/q.toml" -o "$out/r.h5" --baseline "$out/r.h5" --force >"$out/o" 2>"$out/e"
    [ $? -eq 2 ] && grep -q "is the --baseline file" "$out/e" || { cat "$out/e"; fail "-o == --baseline not refused"; }
    # export and compare keep their reports the same way.
    refused "export over a report" "$out/n.md" "$CB_FAULTS" export "$out/n.h5" --report md
    "$CB_FAULTS" export "$out/n.h5" --report md --force >/dev/null || fail "export --force exit $?"
    "$CB_FAULTS" compare "$out/n.h5" "$out/r.h5" --report csv >/dev/null
    [ $? -le 1 ] || fail "first compare --report"
    refused "compare over a report" "$out/n.comparison.csv" "$CB_FAULTS" compare "$out/n.h5" "$out/r.h5" --report csv
    "$CB_FAULTS" compare "$out/n.h5" "$out/r.h5" --report csv --force >/dev/null
    [ $? -le 1 ] || fail "compare --force"
    # A forced run stopped before its first case leaves the old file whole.
    cat >"$out/slow.toml" <<'TOML'
[suite]
name = "slow"
min_samples = 100
max_samples = 100
max_time_s = 100
[[benchmark]]
name = "hardware.test_slow"
TOML
    before=$(md5 "$out/r.h5")
    "${MPIEXEC:-mpiexec}" --oversubscribe -n 2 "$CB_FAULTS" run "$out/slow.toml" -o "$out/r.h5" --force >"$out/o" 2>"$out/e" &
    launcher=$!
    # Once the new run has its staging file, it is in its first (5 s) case.
    timeout 30 bash -c "until ls '$out'/r.h5.new-* >/dev/null 2>&1; do sleep 0.1; done" || fail "no staging file"
    sleep 0.5
    # Signal the ranks as Slurm does (mpiexec itself would kill them hard).
    pids=$(pgrep -f "^$CB_FAULTS run $out/slow.toml") || fail "no ranks running"
    kill -TERM $pids
    timeout 20 bash -c "while kill -0 $launcher 2>/dev/null; do sleep 0.05; done" || fail "the job did not end within 20 s"
    wait $launcher
    code=$?
    cat "$out/e"
    [ "$code" -ne 0 ] || fail "an interrupted run exited 0"
    [ "$(md5 "$out/r.h5")" = "$before" ] || fail "the interrupted forced run changed the old file"
    ! ls "$out"/r.h5.new-* 2>/dev/null || fail "a staging file was left behind"
    grep -q "left as it was" "$out/e" || fail "the message does not say the old file was kept"
    ;;
  *) fail "unknown scenario $name" ;;
esac
echo "PASS: $name"
