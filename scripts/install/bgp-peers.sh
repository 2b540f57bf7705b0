#!/usr/bin/env bash
# BGP interop peers for MetalLb.Net.Bgp.Tests: gobgpd (gobgp CLI), BIRD 2 (birdc), FRR (vtysh).
# Idempotent and quiet: installs only what is missing, runs apt-get update only then.
# The tests start each daemon themselves in their own network namespace, so the packages'
# own services must not start: a policy-rc.d that refuses every start (exit 101, see
# invoke-rc.d(8)) is in place for the install and removed afterwards.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

missing=()
for pkg in gobgpd bird2 frr; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

policy=/usr/sbin/policy-rc.d
ours=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"; ours=1
fi
cleanup() { [ "$ours" -eq 1 ] && rm -f "$policy"; true; }
trap cleanup EXIT

apt-get update -qq > /dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
echo "installed: ${missing[*]}"
