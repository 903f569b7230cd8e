#!/usr/bin/env bash
# The main job: set up, build, and run the smoke suite on 2 ranks, writing
# results/smoke-<UTC time>.h5 and printing a summary. Extra arguments go to
# `clusterbench run` (e.g. --baseline results/baselines/smoke.h5).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/launch/setup.sh"
cd "$root"
ranks="${RANKS:-2}"
echo "smoke: mpirun -np $ranks build/clusterbench run configs/smoke.toml $*"
start=$(date +%s%N)
status=0
"$root/launch/mpirun.sh" -np "$ranks" "$build/clusterbench" run configs/smoke.toml "$@" || status=$?
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "smoke: finished in $((elapsed_ms / 1000)).$(printf %03d $((elapsed_ms % 1000))) s with exit code $status"
exit $status
