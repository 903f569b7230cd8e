#!/usr/bin/env bash
# Scenarios on a real Slurm on this machine (launch/slurm-local.sh: munged,
# slurmctld, slurmd; installed from Debian on first use). Exits 77 (ctest:
# skipped) with the reason where it cannot be set up (not root, no packages).
# Environment as for run_case.sh: CB_BIN, CB_SRC, CB_OUT, CB_PYTHON.
set -uo pipefail
name="$1"
sl="$CB_SRC/launch/slurm-local.sh"
out="$CB_OUT/$name"
rm -rf "$out" && mkdir -p "$out"
check="$CB_PYTHON $CB_SRC/tests/python/check_results.py"
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
# A state directory of its own, so that a developer's `slurm-local.sh up`
# (default /run/cb-slurm) is left alone, and ports beside that one's.
export CB_SLURM_DIR=/run/cb-slurm-test CB_SLURM_PORT=${CB_SLURM_PORT:-6927}

[ "$(id -u)" -eq 0 ] || skip "a local Slurm needs root (slurmd, munged as the munge user)"
command -v apt-get >/dev/null || [ -x /usr/sbin/slurmd ] || skip "no slurmd and no apt-get to install it"

"$sl" down >/dev/null 2>&1
trap '"$sl" down >"$out/down.log" 2>&1 || cat "$out/down.log"' EXIT
start=$(date +%s%N)
exports=$("$sl" up 2>"$out/up.log")
code=$?
cat "$out/up.log"
if [ "$code" -ne 0 ]; then
  # Packages that cannot be installed (no registry) are a reason to skip;
  # installed daemons that do not come up are a failure.
  if ! [ -x /usr/sbin/slurmd ] || ! [ -x /usr/sbin/munged ]; then
    skip "slurm-wlm/munge could not be installed: $(tail -n 1 "$out/up.log")"
  fi
  fail "launch/slurm-local.sh up failed (exit $code)"
fi
echo "slurm-local up (install included) took $((($(date +%s%N) - start) / 1000000)) ms"
eval "$exports"
[ -n "${SLURM_CONF:-}" ] || fail "up printed no SLURM_CONF: $exports"
srun --mpi=list 2>&1 | grep -q pmix || fail "slurm has no PMIx plugin: $(srun --mpi=list 2>&1)"

case "$name" in
  slurm_cpu_job)
    # The template as users submit it (from the source tree, defaults for
    # nodes and ranks), output redirected to the scratch directory.
    # Into a HISTORY folder that is still empty: nothing to compare yet.
    cd "$CB_SRC" || fail "cd $CB_SRC"
    mkdir -p "$out/hist"
    start=$(date +%s%N)
    job=$(timeout 400 sbatch --parsable --wait --output="$out/slurm-%j.log" \
      --export="ALL,SUITE=configs/smoke.toml,OUTPUT=$out/hist/slurm.h5,HISTORY=$out/hist,CLUSTERBENCH=$CB_BIN" \
      slurm/cpu.sbatch)
    code=$?
    echo "sbatch --wait: job '$job', exit $code, $((($(date +%s%N) - start) / 1000000)) ms"
    cat "$out"/slurm-*.log 2>/dev/null
    [ "$code" -eq 0 ] || { tail -n 20 "$CB_SLURM_DIR/log/slurmd.log"; fail "job exit code $code"; }
    job=${job%%;*}
    [[ "$job" =~ ^[0-9]+$ ]] || fail "sbatch printed no job id: '$job'"
    grep -q "clusterbench.sbatch: srun --mpi=pmix" "$out/slurm-$job.log" || fail "the job did not launch with srun --mpi=pmix"
    $check "$out/hist/slurm.h5" --ranks 2 --nodes 1 --status complete \
      --require-benchmark hardware.stream distributed.pingpong distributed.allreduce || fail "check_results"
    got=$($CB_PYTHON -c 'import sys, h5py; v = h5py.File(sys.argv[1]).attrs["slurm_job_id"]; print(v.decode() if isinstance(v, bytes) else v)' "$out/hist/slurm.h5") ||
      fail "no slurm_job_id attribute"
    [ "$got" = "$job" ] || fail "slurm_job_id is '$got', sbatch said '$job'"
    echo "slurm_job_id $got matches the job"
    $CB_PYTHON - "$out/hist/slurm.h5" <<'PY' || fail "slurm provenance"
import sys, h5py
a = h5py.File(sys.argv[1]).attrs
prov = {k: a[k] for k in a if k.startswith("slurm_")}
print(prov)
assert prov["slurm_partition"] and prov["slurm_nodelist"] and prov["slurm_tasks_per_node"], prov
assert prov.get("slurm_time_limit"), "no time limit from squeue"
PY
    grep -q "holds no earlier run yet" "$out/slurm-$job.log" || fail "an empty HISTORY was not reported"
    # The nightly form: two runs, judged together against that history. An
    # A/A comparison on a shared machine may find a "regression" (exit 1),
    # so the verdict is not checked, only that it was reached over both runs.
    job2=$(timeout 400 sbatch --parsable --wait --output="$out/night-%j.log" \
      --export="ALL,SUITE=configs/smoke.toml,OUTPUT=$out/hist/night.h5,HISTORY=$out/hist,REPEATS=2,CLUSTERBENCH=$CB_BIN" \
      slurm/cpu.sbatch)
    code=$?
    job2=${job2%%;*}
    cat "$out/night-$job2.log"
    [ "$code" -eq 0 ] || [ "$code" -eq 1 ] || fail "REPEATS=2 HISTORY job exit code $code"
    for i in 1 2; do
      $check "$out/hist/night-$i.h5" --ranks 2 --nodes 1 --status complete || fail "night-$i.h5"
    done
    grep -q "compare .*night-1.h5 .*night-2.h5 --history $out/hist" "$out/night-$job2.log" || fail "the two runs were not compared together"
    grep -q "current: 2 runs, samples pooled" "$out/night-$job2.log" || fail "compare did not pool the two runs"
    grep -q "baseline: 1 earlier run(s)" "$out/night-$job2.log" || fail "the history should be slurm.h5 alone"
    grep -q "clusterbench.sbatch: exit $code " "$out/night-$job2.log" || fail "the log's last line does not give the exit code"
    # Usage errors come before anything runs (the script alone, no Slurm).
    REPEATS=2 BASELINE="$out/hist/slurm.h5" CLUSTERBENCH=$CB_BIN bash slurm/cpu.sbatch >"$out/usage.log" 2>&1
    [ $? -eq 2 ] && grep -q "REPEATS=2 with BASELINE" "$out/usage.log" || { cat "$out/usage.log"; fail "REPEATS with BASELINE must exit 2"; }
    HISTORY="$out/nowhere" CLUSTERBENCH=$CB_BIN bash slurm/cpu.sbatch >"$out/usage.log" 2>&1
    [ $? -eq 2 ] && grep -q "HISTORY=$out/nowhere is not a folder" "$out/usage.log" || { cat "$out/usage.log"; fail "a missing HISTORY must exit 2"; }
    ;;
  slurm_time_limit)
    # Slurm's own time limit (one minute, its smallest) stops a suite that
    # would run for an hour: SIGTERM reaches the script and the ranks, the
    # ranks abandon the case in progress and close the file as partial with
    # the case finished before, and Slurm records the job as TIMEOUT.
    cat >"$out/long.toml" <<'TOML'
[suite]
name = "time-limit"

[[benchmark]]
name = "distributed.barrier"
max_time_s = 0.5

[[benchmark]]
name = "distributed.pingpong"
sizes = 8
min_samples = 1000000
max_samples = 1000000
min_sample_time_s = 0.01
max_time_s = 3600
timeout_s = 3600
TOML
    cd "$CB_SRC" || fail "cd $CB_SRC"
    start=$(date +%s%N)
    job=$(timeout 400 sbatch --parsable --wait --time=1 --output="$out/slurm-%j.log" \
      --export="ALL,SUITE=$out/long.toml,OUTPUT=$out/limit.h5,CLUSTERBENCH=$CB_BIN" \
      slurm/cpu.sbatch)
    code=$?
    took=$((($(date +%s%N) - start) / 1000000))
    echo "sbatch --wait --time=1: job '$job', exit $code, $took ms"
    cat "$out"/slurm-*.log 2>/dev/null
    job=${job%%;*}
    [ "$code" -ne 0 ] || fail "a job stopped by its time limit exited 0"
    [ "$took" -lt 200000 ] || fail "the job outlived its time limit by minutes"
    state=$(scontrol show job "$job" 2>/dev/null | grep -o 'JobState=[A-Z_]*')
    echo "scontrol: $state"
    [ "$state" = "JobState=TIMEOUT" ] || fail "job state '$state', want TIMEOUT"
    grep -q "SIGTERM (time limit or scancel)" "$out/slurm-$job.log" || fail "the script did not see SIGTERM"
    $CB_PYTHON - "$out/limit.h5" <<'PY' || fail "the partial file"
import sys, h5py, pandas as pd
f = h5py.File(sys.argv[1])
status = f.attrs["status"]
status = status.decode() if isinstance(status, bytes) else status
assert status == "partial", status
cases = pd.DataFrame(f["cases"][()])
done = [b.decode() for b in cases[cases.status == b"ok"].benchmark]
assert "distributed.barrier" in done, list(cases.benchmark)
print("partial file with", len(cases), "case(s):", done)
PY
    ;;
  *) fail "unknown scenario $name" ;;
esac
echo "PASS: $name"
