#!/usr/bin/env bash
# A test cluster on one machine: a head namespace (where mpirun runs) and N
# node namespaces, each with its own network stack and hostname, joined by a
# private bridge. Open MPI starts its daemons through an rsh agent that enters
# a node's namespaces instead of using ssh, so MPI sees N real "nodes": shared
# memory inside a node, TCP through the bridge between nodes.
#
#   launch/test-cluster.sh up N          create head + N nodes (idempotent)
#   launch/test-cluster.sh down          remove exactly what `up` made
#   launch/test-cluster.sh run ARGS...   mpirun ARGS... in the head namespace,
#                                        with the hostfile and the options the
#                                        cluster needs (-np, --map-by: yours)
#   launch/test-cluster.sh exec NODE CMD run CMD inside a node (e.g. cbtc-n1)
#   launch/test-cluster.sh throttle NODE RATE   tbf rate limit on NODE's link
#                                        (e.g. 10mbit; "off" removes it)
#   launch/test-cluster.sh status        what is up
#   launch/test-cluster.sh check         exit 0 if namespaces can be made here
#
# Everything it makes is named cbtc-*: namespaces cbtc-head, cbtc-n1..N, the
# bridge cbtc-br, veths cbtc-v<i>, state in /run/cbtc and /etc/netns/cbtc-*.
# Addresses (10.213.7.0/24) exist only inside the namespaces, none on the host.
# Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) and iproute2.
set -euo pipefail

prefix=cbtc
state=/run/$prefix
bridge=$prefix-br
subnet=10.213.7
head=$prefix-head
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { echo "test-cluster: $*" >&2; }
die() { say "$*"; exit 1; }
nodes() { cat "$state/nodes" 2>/dev/null || true; }
addr_of() {  # head is .1, node i is .(10+i)
  if [ "$1" = "$head" ]; then echo "$subnet.1"; else echo "$subnet.$((10 + ${1##*-n}))"; fi
}
# Run a command inside a namespace member: its network namespace (with
# /etc/netns/<ns>/hosts bind-mounted by `ip netns exec`) and its UTS namespace.
in_ns() {
  local ns=$1
  shift
  ip netns exec "$ns" nsenter --uts="$state/uts/$ns" -- "$@"
}

make_member() {  # namespace, veth, address, hostname
  local ns=$1 index=$2
  ip netns list | grep -qw "^$ns" || ip netns add "$ns"
  if ! ip link show "$prefix-v$index" >/dev/null 2>&1; then
    ip link add "$prefix-v$index" type veth peer name eth0 netns "$ns"
    ip link set "$prefix-v$index" master "$bridge" up
  fi
  ip -n "$ns" link set lo up
  ip -n "$ns" addr replace "$(addr_of "$ns")/24" dev eth0
  ip -n "$ns" link set eth0 up
  mkdir -p "$state/uts"
  if [ ! -e "$state/uts/$ns" ]; then
    touch "$state/uts/$ns"
    unshare --uts="$state/uts/$ns" hostname "$ns"
  fi
}

write_hosts() {  # every member resolves every other member by name
  local all=("$head" $(nodes)) ns
  for ns in "${all[@]}"; do
    mkdir -p "/etc/netns/$ns"
    {
      echo "127.0.0.1 localhost"
      for other in "${all[@]}"; do echo "$(addr_of "$other") $other"; done
    } >"/etc/netns/$ns/hosts"
  done
}

write_agent() {
  # Open MPI calls `agent HOST COMMAND...` where a remote shell would run
  # COMMAND; we run it in HOST's namespaces instead.
  cat >"$state/rsh-agent" <<EOF
#!/usr/bin/env bash
host=\$1
shift
exec ip netns exec "\$host" nsenter --uts="$state/uts/\$host" -- /bin/sh -c "\$*"
EOF
  chmod +x "$state/rsh-agent"
}

up() {
  local n=${1:-2} i
  [[ "$n" =~ ^[1-9][0-9]?$ ]] || die "up N: N must be 1..99, got '$n'"
  if [ -f "$state/nodes" ] && [ "$(nodes | wc -w)" != "$n" ]; then
    die "already up with $(nodes | wc -w) nodes; run 'down' first"
  fi
  mkdir -p "$state"
  # Remember whether /etc/netns was ours, so that `down` removes only that.
  [ -d /etc/netns ] || { mkdir -p /etc/netns && touch "$state/made-etc-netns"; }
  ip link show "$bridge" >/dev/null 2>&1 || ip link add "$bridge" type bridge
  ip link set "$bridge" up
  make_member "$head" 0
  : >"$state/nodes.new"
  for ((i = 1; i <= n; i++)); do
    make_member "$prefix-n$i" "$i"
    echo "$prefix-n$i" >>"$state/nodes.new"
  done
  mv "$state/nodes.new" "$state/nodes"
  write_hosts
  write_agent
  local slots=${SLOTS:-2}
  nodes | sed "s/\$/ slots=$slots/" >"$state/hostfile"
  # The head must reach every node before MPI tries: a TCP connect to a
  # closed port is refused at once when the node answers, and times out when
  # it does not (no ping on a minimal machine).
  for node in $(nodes); do
    local code=0
    in_ns "$head" timeout 3 bash -c "exec 3<>/dev/tcp/$(addr_of "$node")/9" 2>/dev/null || code=$?
    [ "$code" -ne 124 ] || die "$head cannot reach $node"
  done
  say "up: $head + $(nodes | wc -w) nodes on $bridge ($subnet.0/24), hostfile $state/hostfile"
}

down() {
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$prefix-" || true); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$ns"
    rm -rf "/etc/netns/$ns"
  done
  ip link show "$bridge" >/dev/null 2>&1 && ip link del "$bridge"
  if [ -d "$state/uts" ]; then
    for f in "$state"/uts/*; do
      [ -e "$f" ] || continue
      umount "$f" 2>/dev/null || true
    done
  fi
  [ -f "$state/made-etc-netns" ] && rmdir /etc/netns 2>/dev/null
  rm -rf "$state"
  say "down"
}

run() {
  [ -f "$state/hostfile" ] || die "not up (run: $0 up N)"
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  # yield_when_idle: ranks busy-polling on few cores would starve the
  # kernel's packet processing and TCP latency would jump to the 4 ms tick.
  in_ns "$head" env -C "$PWD" mpirun --hostfile "$state/hostfile" \
    --mca plm_rsh_agent "$state/rsh-agent" \
    --mca oob_tcp_if_include "$subnet.0/24" --mca btl_tcp_if_include "$subnet.0/24" \
    --mca btl self,vader,tcp --mca mpi_yield_when_idle 1 \
    --oversubscribe "$@"
}

throttle() {
  local node=${1:?throttle NODE RATE} rate=${2:?throttle NODE RATE} index
  nodes | grep -qx "$node" || die "no node '$node' (nodes: $(nodes | xargs))"
  index=${node##*-n}
  if [ "$rate" = off ]; then
    tc qdisc del dev "$prefix-v$index" root 2>/dev/null || true
    ip netns exec "$node" tc qdisc del dev eth0 root 2>/dev/null || true
    say "$node: no rate limit"
    return
  fi
  # Both directions: into the node (host side of its veth) and out of it.
  tc qdisc replace dev "$prefix-v$index" root tbf rate "$rate" burst 32kbit latency 400ms
  ip netns exec "$node" tc qdisc replace dev eth0 root tbf rate "$rate" burst 32kbit latency 400ms
  say "$node: link limited to $rate"
}

check() {
  # Can this machine make namespaces at all? Leaves nothing behind.
  local probe=$prefix-probe$$
  ip netns add "$probe" 2>/dev/null || { echo "cannot create network namespaces (need root and CAP_SYS_ADMIN)"; return 1; }
  ip netns del "$probe"
  command -v nsenter >/dev/null || { echo "nsenter missing (util-linux)"; return 1; }
  command -v mpirun >/dev/null || { echo "mpirun missing"; return 1; }
  return 0
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) down ;;
  run) shift; run "$@" ;;
  exec) shift; node=${1:?exec NODE CMD}; shift; in_ns "$node" "$@" ;;
  throttle) shift; throttle "$@" ;;
  status) ip netns list | grep "^$prefix-" || echo "nothing up"; cat "$state/hostfile" 2>/dev/null || true ;;
  check) check ;;
  *) sed -n '2,22p' "$0" >&2; exit 2 ;;
esac
