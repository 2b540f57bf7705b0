#!/usr/bin/env bash
# keepalived (VRRPv3), the reference peer of MetalLb.Net.Lab.Bench's failover table
# (docs/benchmarks.md): the harness starts one keepalived per lab node itself, in the node's
# namespace. Idempotent and quiet: installs only when missing. The package's own service must
# not start: a policy-rc.d that refuses every start (exit 101, see invoke-rc.d(8)) is in place
# for the install and removed afterwards, as in bgp-peers.sh.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
dpkg-query -W -f='${Status}' keepalived 2>/dev/null | grep -q 'install ok installed' && exit 0

policy=/usr/sbin/policy-rc.d
ours=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"; ours=1
fi
cleanup() { [ "$ours" -eq 1 ] && rm -f "$policy"; true; }
trap cleanup EXIT

apt-get update -qq > /dev/null
apt-get install -y -qq --no-install-recommends keepalived > /dev/null
echo "installed: keepalived"
