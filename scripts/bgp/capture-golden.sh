#!/usr/bin/env bash
# Re-capture the golden BGP messages in tests/MetalLb.Net.Bgp.Tests/testdata/golden from the
# real peers (gobgpd, bird, frr bgpd). Run as root; uses two namespaces joined by a veth,
# documentation addresses only, and stops what it starts by PID.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../tests/MetalLb.Net.Bgp.Tests/testdata/golden}
tmp=$(mktemp -d)
ns=bgpcap$$
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  ip netns del ${ns}a 2>/dev/null || true; ip netns del ${ns}b 2>/dev/null || true
  tail -n 5 "$tmp"/*.log 2>/dev/null || true; rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add ${ns}a; ip netns add ${ns}b
ip link add ${ns}x netns ${ns}a type veth peer name ${ns}y netns ${ns}b
ip -n ${ns}a addr add 192.0.2.1/24 dev ${ns}x; ip -n ${ns}b addr add 192.0.2.2/24 dev ${ns}y
for n in a b; do ip -n $ns$n link set lo up; done
ip -n ${ns}a link set ${ns}x up; ip -n ${ns}b link set ${ns}y up

wait_port() { for _ in $(seq 100); do ip netns exec ${ns}b ss -ltn | grep -q ':179 ' && return 0; sleep 0.1; done; return 1; }
stop() { kill "$1" 2>/dev/null || echo "peer $1 had already exited"; wait "$1" 2>/dev/null || true; pids=(); }

# gobgpd
cat > $tmp/gobgp.toml <<CONF
[global.config]
  as = 65001
  router-id = "192.0.2.2"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "192.0.2.1"
    peer-as = 4200000000
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"
CONF
ip netns exec ${ns}b gobgpd -f $tmp/gobgp.toml --api-hosts=127.0.0.1:50077 > $tmp/gobgpd.log 2>&1 &
pids=($!); wait_port
ip netns exec ${ns}b gobgp -p 50077 global rib -a ipv4 add 203.0.113.0/24 community 65000:100 large-community 65000:1:2
ip netns exec ${ns}b gobgp -p 50077 global rib -a ipv6 add 2001:db8:1::/48 nexthop 2001:db8::2 community 65000:100 large-community 65000:1:2
ip netns exec ${ns}a python3 "$here/capture-golden.py" 192.0.2.2 4200000000 "$out" gobgpd-3.10
stop ${pids[0]}

# BIRD 2
cat > $tmp/bird.conf <<CONF
router id 192.0.2.2;
protocol device {}
protocol static s4 { ipv4 { import all; }; route 203.0.113.0/24 blackhole; }
protocol static s6 { ipv6 { import all; }; route 2001:db8:1::/48 blackhole; }
filter attrs { bgp_community.add((65000,100)); bgp_large_community.add((65000,1,2)); accept; }
protocol bgp peer {
  local 192.0.2.2 as 65001; neighbor 192.0.2.1 as 65000; passive on;
  ipv4 { import none; export filter attrs; };
  ipv6 { import none; export filter attrs; next hop address 2001:db8::2; };
}
CONF
ip netns exec ${ns}b bird -f -c $tmp/bird.conf -s $tmp/bird.ctl -P $tmp/bird.pid > $tmp/bird.log 2>&1 &
pids=($!); wait_port
ip netns exec ${ns}a python3 "$here/capture-golden.py" 192.0.2.2 65000 "$out" bird-2.0.12
stop ${pids[0]}

# FRR bgpd, without zebra
mkdir -p $tmp/frr
cat > $tmp/frr/bgpd.conf <<CONF
frr defaults traditional
router bgp 65001
 bgp router-id 192.0.2.2
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor 192.0.2.1 remote-as 65000
 neighbor 192.0.2.1 advertisement-interval 0
 address-family ipv4 unicast
  network 203.0.113.0/24 route-map attrs
 exit-address-family
 address-family ipv6 unicast
  neighbor 192.0.2.1 activate
  network 2001:db8:1::/48 route-map attrs
 exit-address-family
route-map attrs permit 10
 set community 65000:100
 set large-community 65000:1:2
CONF
ip netns exec ${ns}b /usr/lib/frr/bgpd -Z -S -u root -g root -P 0 -f $tmp/frr/bgpd.conf -i $tmp/frr/bgpd.pid \
  --vty_socket $tmp/frr > $tmp/frr.log 2>&1 &
pids=($!); wait_port
ip netns exec ${ns}a python3 "$here/capture-golden.py" 192.0.2.2 65000 "$out" frr-8.4 10
stop ${pids[0]}
