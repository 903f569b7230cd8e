# shellcheck shell=bash
# The body of slurm/cpu.sbatch and slurm/gpu.sbatch, sourced by them after
# they have set their defaults (SUITE) and checked what is theirs (GPUs).
# Not a job script of its own. Runs the suite REPEATS times, then judges the
# runs against BASELINE (one run) or against the last runs in HISTORY; the
# job's exit code is the verdict (docs/slurm.md).

OUTPUT=${OUTPUT:-results/${SLURM_JOB_ID:-local}.h5}
CLUSTERBENCH=${CLUSTERBENCH:-build/clusterbench}
LAUNCHER=${LAUNCHER:-srun}
REPEATS=${REPEATS:-1}
HISTORY_LAST=${HISTORY_LAST:-10}

usage_error() {
  echo "clusterbench.sbatch: error: $*" >&2
  exit 2
}
[ -x "$CLUSTERBENCH" ] || usage_error "CLUSTERBENCH=$CLUSTERBENCH is not an executable (build it, or pass CLUSTERBENCH=...; relative paths start at $PWD)"
[ -r "$SUITE" ] || usage_error "SUITE=$SUITE is not a readable file (relative paths start at $PWD)"
[ -z "${BASELINE:-}" ] || [ -r "$BASELINE" ] || usage_error "BASELINE=$BASELINE is not a readable file"
[[ "$REPEATS" =~ ^[1-9][0-9]?$ ]] || usage_error "REPEATS=$REPEATS: a number of runs from 1 to 99"
[[ "$HISTORY_LAST" =~ ^[1-9][0-9]*$ ]] || usage_error "HISTORY_LAST=$HISTORY_LAST: a positive number of runs"
if [ -n "${HISTORY:-}" ]; then
  [ -z "${BASELINE:-}" ] || usage_error "BASELINE and HISTORY: give one (a reference file, or a folder of earlier runs)"
  [ -d "$HISTORY" ] || usage_error "HISTORY=$HISTORY is not a folder (relative paths start at $PWD)"
elif [ "$REPEATS" -gt 1 ] && [ -n "${BASELINE:-}" ]; then
  usage_error "REPEATS=$REPEATS with BASELINE: several runs are judged against a HISTORY folder, one run against BASELINE"
fi
mkdir -p "$(dirname "$OUTPUT")"

# Open MPI refuses to run as root without these (containers, test machines).
if [ "$(id -u)" -eq 0 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
# Since Slurm 22.05 srun no longer inherits --cpus-per-task from the job.
if [ -n "${SLURM_CPUS_PER_TASK:-}" ]; then export SRUN_CPUS_PER_TASK=$SLURM_CPUS_PER_TASK; fi

read -r -a extra <<<"${CLUSTERBENCH_ARGS:-}"
read -r -a compare_extra <<<"${COMPARE_ARGS:-}"
read -r -a launch_extra <<<"${LAUNCH_ARGS:-}"
case "$LAUNCHER" in
  # Direct launch: slurmd's PMIx server wires up Open MPI (built against PMIx).
  srun) launch=(srun --mpi=pmix) ;;
  # Open MPI reads the allocation and starts its daemons through srun.
  mpirun) launch=(mpirun) ;;
  *) usage_error "LAUNCHER=$LAUNCHER (valid: srun, mpirun)" ;;
esac

# One run: OUTPUT. Several: OUTPUT without .h5, then -1.h5 ... -N.h5.
outputs=()
if [ "$REPEATS" -eq 1 ]; then
  outputs=("$OUTPUT")
else
  for ((i = 1; i <= REPEATS; i++)); do outputs+=("${OUTPUT%.h5}-$i.h5"); done
fi

echo "clusterbench.sbatch: job ${SLURM_JOB_ID:-?} on ${SLURM_JOB_NUM_NODES:-?} node(s) [${SLURM_JOB_NODELIST:-?}], ${SLURM_NTASKS:-?} ranks"
# A time limit or scancel sends SIGTERM to this script and to every rank; the
# ranks stop at a safe point and close the file (status partial). Outlive
# them, so that the job still reports their exit code, and start no more.
stopping=0
trap 'stopping=1; echo "clusterbench.sbatch: SIGTERM (time limit or scancel): waiting for the ranks to close the result file" >&2' TERM

# One run of the suite: clusterbench's exit code, with the launcher's own
# failures told apart (srun and mpirun exit 1 too).
run_once() {
  local out=$1 status=0 started
  local args=(run "$SUITE" -o "$out")
  if [ -n "${BASELINE:-}" ]; then args+=(--baseline "$BASELINE"); fi
  echo "clusterbench.sbatch: ${launch[*]} ${launch_extra[*]} $CLUSTERBENCH ${args[*]} ${extra[*]}"
  started=$(date +%s)
  "${launch[@]}" "${launch_extra[@]}" "$CLUSTERBENCH" "${args[@]}" "${extra[@]}" || status=$?
  # A 1 is a verdict only when clusterbench wrote the result file; anything
  # else is "could not finish".
  if [ "$status" -eq 1 ] && ! { [ -f "$out" ] && [ "$(stat -c %Y "$out")" -ge "$started" ]; }; then
    echo "clusterbench.sbatch: the launcher failed before $out was written" >&2
    status=3
  elif [ "$status" -gt 3 ]; then
    echo "clusterbench.sbatch: the launcher or a rank ended with code $status (a signal, an MPI abort, a node failure)" >&2
    status=3
  fi
  return "$status"
}

status=0
ran=()
for out in "${outputs[@]}"; do
  code=0
  run_once "$out" || code=$?
  ran+=("$out")
  # Bad input ends the job (every run would say the same), so does SIGTERM;
  # otherwise the worst run's code (3 failed cases; 1 only with BASELINE,
  # which allows one run).
  if [ "$code" -eq 2 ]; then
    status=2
    break
  fi
  [ "$code" -le "$status" ] || status=$code
  if [ "$stopping" -eq 1 ]; then
    status=3
    break
  fi
done

# Several runs, or a folder of earlier ones: one verdict over all of them.
if [ -n "${HISTORY:-}" ] && [ "$status" -ne 2 ] && [ "$stopping" -eq 0 ]; then
  earlier=0
  for f in "$HISTORY"/*.h5; do
    [ -e "$f" ] || continue
    mine=0
    for out in "${ran[@]}"; do [ "$f" -ef "$out" ] && mine=1; done
    [ "$mine" -eq 1 ] || earlier=$((earlier + 1))
  done
  if [ "$earlier" -eq 0 ]; then
    echo "clusterbench.sbatch: HISTORY=$HISTORY holds no earlier run yet: nothing to compare (keep OUTPUT there and the next job has one)"
  else
    echo "clusterbench.sbatch: $CLUSTERBENCH compare ${ran[*]} --history $HISTORY --last $HISTORY_LAST ${compare_extra[*]}"
    code=0
    "$CLUSTERBENCH" compare "${ran[@]}" --history "$HISTORY" --last "$HISTORY_LAST" "${compare_extra[@]}" || code=$?
    # compare's 3 (cases failed in a run) and 1 (regression) are the verdict.
    status=$code
  fi
fi

case "$status" in
  0) meaning="ok" ;;
  1) meaning="regression found against ${BASELINE:-${HISTORY:-the baseline}}" ;;
  2) meaning="usage, config or input error: nothing was run" ;;
  *) meaning="some cases failed or the run could not finish" ;;
esac
if [ "${#ran[@]}" -gt 0 ]; then meaning+="; results in ${ran[*]}"; fi
echo "clusterbench.sbatch: exit $status ($meaning)"
exit "$status"
