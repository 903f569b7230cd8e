#!/usr/bin/env bash
# A two-node (or N-node) Slurm on the namespace test cluster: one munged on
# the host (the namespaces share the filesystem, so its socket serves all),
# slurmctld inside cbtc-head (10.213.7.1) and one slurmd per node namespace
# (NodeName cbtc-nI, NodeAddr 10.213.7.(10+I)), MpiDefault=pmix. Needs a test
# cluster that is up (`launch/test-cluster.sh up 2`) and root.
#
#   launch/slurm-test-cluster.sh up        install what is missing, start the
#                                          daemons, wait for every node to be
#                                          idle, print `export SLURM_CONF=...`
#   launch/slurm-test-cluster.sh down      stop exactly the daemons `up` started
#                                          (their pid files), remove the state dir
#   launch/slurm-test-cluster.sh run CMD   CMD in the head namespace with
#                                          SLURM_CONF set (sbatch, srun, sinfo
#                                          must reach slurmctld at 10.213.7.1)
#   launch/slurm-test-cluster.sh status    what is up; exit 0 if all nodes answer
#
#   launch/test-cluster.sh up 2 && launch/slurm-test-cluster.sh up
#   launch/slurm-test-cluster.sh run sbatch -N 2 --ntasks-per-node=1 --wait slurm/cpu.sbatch
#
# Everything lives in $CB_SLURM_TC_DIR (default /run/cb-slurm-tc): slurm.conf,
# munge key and socket, state, per-node spool, logs and pid files. A
# system-wide Slurm or munge is neither read nor touched. Ports
# $CB_SLURM_TC_PORT and +1 (default 6917/6918) exist only inside the
# namespaces. Messages go to stderr, exports to stdout.
set -euo pipefail
export PATH=$PATH:/usr/sbin:/sbin

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tc="$root/launch/test-cluster.sh"
tcstate=/run/cbtc
head=cbtc-head
subnet=10.213.7
dir=${CB_SLURM_TC_DIR:-/run/cb-slurm-tc}
port=${CB_SLURM_TC_PORT:-6917}
wait_s=${CB_SLURM_TIMEOUT:-60}
conf=$dir/slurm.conf
mdir=$dir/munge
socket=$mdir/munge.socket
marker=$dir/.cb-slurm-test-cluster

say() { echo "slurm-test-cluster: $*" >&2; }
# shellcheck source=launch/slurm-common.sh
source "$root/launch/slurm-common.sh"
die() { say "error: $*"; exit 1; }
need_root() { [ "$(id -u)" -eq 0 ] || die "needs root (namespaces, slurmd, munged as the munge user)"; }
nodes() { cat "$tcstate/nodes" 2>/dev/null || true; }
in_head() { "$tc" exec "$head" env SLURM_CONF="$conf" "$@"; }

daemons() {  # name pid-file, in stop order
  local n
  for n in $(cat "$dir/nodes" 2>/dev/null); do echo "slurmd $dir/run/slurmd-$n.pid"; done
  echo "slurmctld $dir/run/slurmctld.pid"
  echo "munged $mdir/munged.pid"
}

node_hw() {  # slurmd -C without its NodeName and UpTime: CPUs, sockets, memory
  local probe
  probe=$(slurmd -C 2>/dev/null | head -1 || true)
  if [[ "$probe" == NodeName=* ]]; then echo "${probe#NodeName=* }"; else echo "CPUs=$(nproc --all)"; fi
}

write_conf() {
  local list addrs n
  list=$(nodes | paste -sd,)
  addrs=$(for n in $(nodes); do echo "$subnet.$((10 + ${n##*-n}))"; done | paste -sd,)
  : >"$dir/plugstack.conf"
  cat >"$conf" <<EOF
# Written by launch/slurm-test-cluster.sh: Slurm on the namespace test cluster.
ClusterName=cbtestcluster
SlurmctldHost=$head($subnet.1)
$(common_conf)
TmpFS=$dir/tmp
SlurmdSpoolDir=$dir/spool/%n
SlurmdPidFile=$dir/run/slurmd-%n.pid
SlurmdLogFile=$dir/log/slurmd-%n.log
NodeName=$list NodeAddr=$addrs $(node_hw) State=UNKNOWN
PartitionName=cpu Nodes=$list Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
}

states() { in_head timeout 10 sinfo -h -N -o '%N %T' 2>/dev/null || true; }
all_idle() {  # every node of the cluster idle (or busy)
  local s
  s=$(states)
  [ -n "$s" ] || return 1
  [ "$(echo "$s" | grep -cE ' (idle|mixed|allocated|completing)$')" -eq "$(wc -l <"$dir/nodes")" ]
}

up() {
  need_root
  [ -f "$tcstate/nodes" ] || die "the test cluster is not up (run: launch/test-cluster.sh up 2)"
  install_missing
  if [ -e "$marker" ]; then
    say "found an earlier instance in $dir; stopping it first"
    down
  elif [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    die "$dir exists and is not ours; set CB_SLURM_TC_DIR"
  fi
  local start=$SECONDS n
  install -d -m 0755 "$dir" "$dir/state" "$dir/log" "$dir/run" "$dir/tmp"
  touch "$marker"
  nodes >"$dir/nodes"
  for n in $(nodes); do install -d -m 0755 "$dir/spool/$n"; done
  write_conf
  start_munged || { show_logs; down; die "munged did not start"; }
  # Daemons in the namespaces; their output must not hold our caller's pipes.
  "$tc" exec "$head" slurmctld -f "$conf" </dev/null >>"$dir/log/slurmctld.out" 2>&1 ||
    { show_logs; down; die "slurmctld did not start"; }
  # `ip netns exec` mounts a fresh /sys without cgroups, and slurmd will not
  # start without them: mount the host's cgroup hierarchies again inside
  # (the mount namespace of that command, which slurmd and its steps keep).
  # TmpFS (where the PMIx plugin makes its per-step client directory, named
  # after the job, not the node) must be per node on a shared filesystem:
  # bind each node's own directory over $dir/tmp there.
  local cg
  cg=$(awk '$2 ~ "^/sys/fs/cgroup(/|$)" {printf "[ -d %s ] || mkdir -p %s; mount -t %s -o %s %s %s; ", $2, $2, $3, $4, $1, $2}' /proc/self/mounts)
  for n in $(nodes); do
    install -d -m 1777 "$dir/nodetmp/$n"
    "$tc" exec "$n" bash -c '[ -n "$(ls -A /sys/fs/cgroup 2>/dev/null)" ] || { '"$cg"' }
      mount --bind "$1" "$2" && shift 2 && exec "$@"' slurmd "$dir/nodetmp/$n" "$dir/tmp" \
      slurmd -f "$conf" -N "$n" </dev/null >>"$dir/log/slurmd-$n.out" 2>&1 ||
      { show_logs; down; die "slurmd on $n did not start"; }
  done
  while ((SECONDS - start < wait_s)); do
    all_idle && break
    if ((SECONDS - start >= 3)); then
      local name file dead=""
      while read -r name file; do
        [ -n "$(live_pid "$file" "$name")" ] || dead+=" $(basename "$file" .pid)"
      done < <(daemons)
      [ -z "$dead" ] || { say "not running:$dead"; break; }
    fi
    sleep 0.5
  done
  if ! all_idle; then
    say "nodes not idle after $((SECONDS - start)) s: $(states | paste -sd' ')"
    show_logs
    down
    die "slurm did not come up"
  fi
  say "up in $((SECONDS - start)) s: munged, slurmctld in $head, slurmd in $(nodes | paste -sd' '); state in $dir"
  echo "export SLURM_CONF=$conf"
}

down() {
  need_root
  if [ ! -e "$marker" ]; then
    if [ -e "$dir" ]; then say "$dir is not ours; leaving it"; else say "not up ($dir absent)"; fi
    return 0
  fi
  # Jobs first, so that no slurmstepd outlives its slurmd.
  if [ -n "$(live_pid "$dir/run/slurmctld.pid" slurmctld)" ] && [ -e "$tcstate/uts/$head" ]; then
    local jobs=() i
    mapfile -t jobs < <(in_head timeout 10 squeue -h -o %A 2>/dev/null || true)
    if ((${#jobs[@]})); then
      say "cancelling jobs: ${jobs[*]}"
      in_head timeout 10 scancel "${jobs[@]}" 2>/dev/null || true
      for ((i = 0; i < 30; i++)); do
        [ -z "$(in_head timeout 5 squeue -h -o %A 2>/dev/null || true)" ] && break
        sleep 0.5
      done
    fi
  fi
  local name file pid stopped=() i
  while read -r name file; do
    pid=$(live_pid "$file" "$name")
    [ -n "$pid" ] || continue
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      [ -n "$(live_pid "$file" "$name")" ] || break
      sleep 0.1
    done
    if [ -n "$(live_pid "$file" "$name")" ]; then
      say "$name ($pid) ignored SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    stopped+=("$(basename "$file" .pid)($pid)")
  done < <(daemons)
  rm -rf "$dir"
  say "down: stopped ${stopped[*]:-nothing}; removed $dir"
}

status() {
  [ -e "$marker" ] || { say "not up ($dir)"; return 1; }
  local name file
  while read -r name file; do
    say "$(basename "$file" .pid): $(live_pid "$file" "$name")"
  done < <(daemons)
  in_head timeout 10 sinfo -N >&2 || return 1
  all_idle
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  run) shift; [ -e "$marker" ] || die "not up"; in_head "$@" ;;
  status) status ;;
  *) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
