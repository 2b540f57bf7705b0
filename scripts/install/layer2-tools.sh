#!/usr/bin/env bash
# Layer 2 tests drive the kernel neighbour stack from network namespaces with arping (Habets),
# ndisc6, tcpdump, ping, sysctl and ip (see shared/reference/test-tools.md). Install each only when
# missing so a second run is quiet and offline-safe.
set -euo pipefail
# Several live in /usr/sbin, which a CI shell's PATH may not list.
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }
need=()
have arping  || need+=(arping)
have ndisc6  || need+=(ndisc6)
have tcpdump || need+=(tcpdump)
have ip      || need+=(iproute2)
have ping    || need+=(iputils-ping)
have sysctl  || need+=(procps)
[ ${#need[@]} -eq 0 ] && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
  || { echo "layer2-tools: apt-get install ${need[*]} failed" >&2; exit 1; }
