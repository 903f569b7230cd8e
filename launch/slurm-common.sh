# Sourced by launch/slurm-local.sh and launch/slurm-test-cluster.sh: what the
# one-machine Slurm and the namespace-cluster Slurm share. The caller sets
# dir (state directory), port, mdir and socket (munge), and defines say().

packages=(slurmd slurmctld slurm-client munge)

install_missing() {
  local missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then return 0; fi
  say "installing ${missing[*]}"
  local start=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >&2
  say "installed in $((SECONDS - start)) s"
}

# pid of a recorded daemon if it is still that daemon, else nothing.
live_pid() {  # pid-file comm-name
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 0
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || return 0
  # An exited daemon waiting for init to reap it is gone already.
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] || echo "$pid"
  return 0
}

show_logs() {
  local f
  for f in "$mdir/munged.log" "$dir/log/"*.log "$dir/log/"*.out; do
    [ -s "$f" ] || continue
    echo "----- tail of $f" >&2
    tail -n 25 "$f" >&2
  done
}

# munged as the munge user, with its key, socket and files in $mdir. Returns
# 1 (the caller shows the logs) if it does not answer within 5 s.
start_munged() {
  install -d -o munge -g munge -m 0755 "$mdir"
  if [ ! -s "$mdir/munge.key" ]; then
    dd if=/dev/urandom of="$mdir/munge.key" bs=1024 count=1 status=none
    chown munge:munge "$mdir/munge.key"
    chmod 0600 "$mdir/munge.key"
  fi
  runuser -u munge -- /usr/sbin/munged --key-file="$mdir/munge.key" --socket="$socket" \
    --pid-file="$mdir/munged.pid" --log-file="$mdir/munged.log" --seed-file="$mdir/munged.seed" \
    </dev/null >>"$dir/log/munged.out" 2>&1 || return 1
  local i
  for ((i = 0; i < 50; i++)); do
    munge -n -S "$socket" 2>/dev/null | unmunge -S "$socket" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  say "munged does not answer on $socket"
  return 1
}

# The slurm.conf lines both setups use; the caller adds the cluster's name,
# hosts, nodes, partition and where each slurmd keeps its files.
common_conf() {
  cat <<EOF
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
MpiDefault=pmix
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation=$dir/state
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$dir/plugstack.conf
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MailProg=/bin/true
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
KillWait=10
MinJobAge=300
EOF
}
