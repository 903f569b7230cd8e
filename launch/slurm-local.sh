#!/usr/bin/env bash
# A real Slurm on this one machine, for tests and for trying slurm/*.sbatch:
# munged, slurmctld and slurmd (Debian's munge and slurm-wlm 22.05), one node
# named after this host in a partition "cpu", MpiDefault=pmix (Debian's Open
# MPI 4.1 speaks PMIx only).
#
#   launch/slurm-local.sh up       install what is missing, start the daemons,
#                                  wait for the node to be idle, and print
#                                  `export SLURM_CONF=...` for eval (idempotent)
#   launch/slurm-local.sh down     stop exactly the daemons `up` started (their
#                                  pid files) and remove the state directory
#   launch/slurm-local.sh status   what is up; exit 0 if the node answers
#
#   eval "$(launch/slurm-local.sh up)" && sbatch --wait slurm/cpu.sbatch
#
# Everything lives in one directory, $CB_SLURM_DIR (default /run/cb-slurm):
# slurm.conf, the munge key and socket, state, spool, logs and pid files.
# Nothing outside it is written except by apt-get; a system-wide Slurm or
# munge (/etc/slurm, /etc/munge, /run/munge) is neither read nor touched. The
# daemons listen on ports $CB_SLURM_PORT and +1 (default 6917/6918, beside the
# usual 6817/6818). Needs root: slurmd runs jobs as their user, munged is
# started as the munge user. Messages go to stderr, exports to stdout.
set -euo pipefail
export PATH=$PATH:/usr/sbin:/sbin

dir=${CB_SLURM_DIR:-/run/cb-slurm}
port=${CB_SLURM_PORT:-6917}
wait_s=${CB_SLURM_TIMEOUT:-60}
conf=$dir/slurm.conf
mdir=$dir/munge
socket=$mdir/munge.socket
marker=$dir/.cb-slurm-local

say() { echo "slurm-local: $*" >&2; }
# shellcheck source=launch/slurm-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/slurm-common.sh"
die() { say "error: $*"; exit 1; }

need_root() { [ "$(id -u)" -eq 0 ] || die "needs root (slurmd runs jobs as their user; munged is started as the munge user)"; }

daemons() {  # name pid-file, in stop order
  echo "slurmd $dir/run/slurmd.pid"
  echo "slurmctld $dir/run/slurmctld.pid"
  echo "munged $mdir/munged.pid"
}

node_state() { SLURM_CONF=$conf timeout 10 sinfo -h -N -o '%T' 2>/dev/null | head -1; }

healthy() {
  [ -f "$marker" ] || return 1
  local name file
  while read -r name file; do
    [ -n "$(live_pid "$file" "$name")" ] || return 1
  done < <(daemons)
  case "$(node_state)" in idle | mixed | allocated | completing) return 0 ;; esac
  return 1
}

print_exports() {
  echo "export SLURM_CONF=$conf"
}

# The node as slurmd sees it (slurmd -C needs no configuration), so that the
# configured node never claims more than the hardware has.
node_line() {
  local host=$1 probe cpus mem
  probe=$(slurmd -C 2>/dev/null | head -1 || true)
  if [[ "$probe" == NodeName=* ]]; then
    # Keep CPUs, Boards, SocketsPerBoard, CoresPerSocket, ThreadsPerCore, RealMemory.
    echo "NodeName=$host NodeAddr=127.0.0.1 ${probe#NodeName=* } State=UNKNOWN"
  else
    cpus=$(nproc --all)
    mem=$(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo)
    echo "NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN"
  fi
}

write_conf() {
  local host
  host=$(hostname -s)
  : >"$dir/plugstack.conf"
  cat >"$conf" <<EOF
# Written by launch/slurm-local.sh: a one-machine Slurm for tests.
ClusterName=cblocal
SlurmctldHost=$host(127.0.0.1)
$(common_conf)
SlurmdSpoolDir=$dir/spool
SlurmdPidFile=$dir/run/slurmd.pid
SlurmdLogFile=$dir/log/slurmd.log
$(node_line "$host")
PartitionName=cpu Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
}

up() {
  need_root
  install_missing
  if healthy; then
    say "already up ($dir, node $(node_state))"
    print_exports
    return 0
  fi
  if [ -e "$marker" ]; then
    say "found a half-up instance in $dir; stopping it first"
    down
  elif [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    die "$dir exists and is not ours (no $(basename "$marker")); set CB_SLURM_DIR"
  fi
  local start=$SECONDS
  install -d -m 0755 "$dir"
  touch "$marker"
  install -d -m 0755 "$dir/state" "$dir/spool" "$dir/log" "$dir/run"
  write_conf
  start_munged || { show_logs; down; die "munged did not start"; }
  # -f: our configuration whatever SLURM_CONF says; </dev/null and redirected
  # output: the daemons must not hold our caller's pipes (ctest waits on them).
  slurmctld -f "$conf" </dev/null >>"$dir/log/slurmctld.out" 2>&1 ||
    { show_logs; down; die "slurmctld did not start"; }
  slurmd -f "$conf" </dev/null >>"$dir/log/slurmd.out" 2>&1 ||
    { show_logs; down; die "slurmd did not start"; }
  local state=""
  while ((SECONDS - start < wait_s)); do
    state=$(node_state)
    case "$state" in
      idle | mixed | allocated) break ;;
    esac
    # A daemon that exited (a port in use, a bad setting) will not come back.
    if ((SECONDS - start >= 3)); then
      local name file dead=""
      while read -r name file; do
        [ -n "$(live_pid "$file" "$name")" ] || dead+=" $name"
      done < <(daemons)
      [ -z "$dead" ] || { state="${dead# } not running"; break; }
    fi
    sleep 0.5
  done
  case "$state" in
    idle | mixed | allocated) ;;
    *)
      say "node not idle after $((SECONDS - start)) s (state '${state:-no answer}')"
      show_logs
      down
      die "slurm did not come up"
      ;;
  esac
  say "up in $((SECONDS - start)) s: munged, slurmctld, slurmd; node $(hostname -s) $state, partition cpu; state in $dir"
  print_exports
}

down() {
  need_root
  if [ ! -e "$marker" ]; then
    if [ -e "$dir" ]; then say "$dir is not ours (no $(basename "$marker")); leaving it"; else say "not up ($dir absent)"; fi
    return 0
  fi
  # Jobs of this cluster first, so that no slurmstepd outlives its slurmd.
  local pid
  if [ -n "$(live_pid "$dir/run/slurmctld.pid" slurmctld)" ]; then
    local jobs=()
    mapfile -t jobs < <(SLURM_CONF=$conf timeout 10 squeue -h -o %A 2>/dev/null || true)
    if ((${#jobs[@]})); then
      say "cancelling jobs: ${jobs[*]}"
      SLURM_CONF=$conf timeout 10 scancel "${jobs[@]}" 2>/dev/null || true
      local i
      for ((i = 0; i < 30; i++)); do
        [ -z "$(SLURM_CONF=$conf timeout 5 squeue -h -o %A 2>/dev/null || true)" ] && break
        sleep 0.5
      done
    fi
  fi
  local name file stopped=()
  while read -r name file; do
    pid=$(live_pid "$file" "$name")
    [ -n "$pid" ] || continue
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 100; i++)); do
      [ -n "$(live_pid "$file" "$name")" ] || break
      sleep 0.1
    done
    if [ -n "$(live_pid "$file" "$name")" ]; then
      say "$name ($pid) ignored SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    stopped+=("$name($pid)")
  done < <(daemons)
  rm -rf "$dir"
  say "down: stopped ${stopped[*]:-nothing}; removed $dir"
}

status() {
  if [ ! -e "$marker" ]; then
    say "not up ($dir)"
    return 1
  fi
  local name file pid ok=0
  while read -r name file; do
    pid=$(live_pid "$file" "$name")
    say "$name: ${pid:-not running}"
  done < <(daemons)
  SLURM_CONF=$conf timeout 10 sinfo >&2 || ok=1
  healthy || ok=1
  return $ok
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *)
    sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
