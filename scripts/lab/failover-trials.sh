#!/usr/bin/env bash
# Failover trials in a running lab (docs/lab.md): runs `metallb-net lab failover` TRIALS times per
# scenario and prints each run's outage and switch time, then the median and max per scenario.
# For issue 12's table (ours fast and lan beside keepalived, many trials) use tests/MetalLb.Net.Lab.Bench (docs/lab.md).
# Usage: sudo scripts/lab/failover-trials.sh [TRIALS] [LAB-NAME]
# The lab must be up (`lab up --mode both`) with Service default/web (L2) and default/api
# (annotated metallb.io/address-pool: lab-bgp) having IPs.
set -uo pipefail
trials=${1:-5}
name=${2:-lab}
cd "$(dirname "$0")/../.."
mlb=${METALLB_NET:-src/MetalLb.Net.Cli/bin/Release/net10.0/metallb-net}

# Wait until every speaker runs again (the lab restarts a killed one after 10 s) and gossip settles.
settle() {
  for _ in $(seq 1 300); do
    "$mlb" lab status --name "$name" | grep -q "not running" || break
    sleep 1
  done
  sleep 5
}

run() {   # scenario service how
  for i in $(seq 1 "$trials"); do
    settle
    out=$("$mlb" lab failover --name "$name" --service "$2" --how "$3")
    outage=$(grep -o 'client outage: *[0-9]*' <<<"$out" | grep -o '[0-9]*$')
    switch=$(grep -o 'from [0-9]* ms after' <<<"$out" | grep -o '[0-9]*' || echo none)
    echo "$1 trial $i: outage ${outage:-?} ms, new node answering after ${switch:-none} ms"
    echo "$1 $outage $switch" >> "$results"
  done
}

results=$(mktemp)
uptime
run l2-cut default/web cut
run l2-kill default/web kill
run l2-stop default/web stop
run bgp-kill default/api kill
run bgp-cut default/api cut
echo
echo "scenario  trials  outage median/max (ms)  switch median/max (ms)"
for s in l2-cut l2-kill l2-stop bgp-kill bgp-cut; do
  # mawk has no asort: sort each column with sort(1).
  o=$(awk -v s="$s" '$1 == s { print $2 }' "$results" | sort -n)
  w=$(awk -v s="$s" '$1 == s { print $3 }' "$results" | sort -n)
  n=$(wc -l <<<"$o")
  printf '%-9s %-7d %s / %s %s / %s\n' "$s" "$n" "$(sed -n "$(( (n + 1) / 2 ))p" <<<"$o")" "$(tail -n1 <<<"$o")" \
    "$(sed -n "$(( (n + 1) / 2 ))p" <<<"$w")" "$(tail -n1 <<<"$w")"
done
uptime
rm -f "$results"
