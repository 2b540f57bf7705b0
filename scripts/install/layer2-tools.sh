#!/usr/bin/env bash
# Layer 2 tests drive the kernel neighbour stack from network namespaces with arping (Habets),
# ndisc6, tcpdump, ping and ip (see shared/reference/test-tools.md). Install each only when
# missing so a second run is quiet and offline-safe.
set -euo pipefail
need=()
command -v arping  >/dev/null 2>&1 || need+=(arping)
command -v ndisc6  >/dev/null 2>&1 || need+=(ndisc6)
command -v tcpdump >/dev/null 2>&1 || need+=(tcpdump)
command -v ip      >/dev/null 2>&1 || need+=(iproute2)
command -v ping    >/dev/null 2>&1 || need+=(iputils-ping)
[ ${#need[@]} -eq 0 ] && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
  || { echo "layer2-tools: apt-get install ${need[*]} failed" >&2; exit 1; }
