#!/usr/bin/env bash
# promtool and prometheus for the metrics tests (Debian's prometheus package). Idempotent; the
# package's own service is kept from starting (tests run their own server on loopback).
set -euo pipefail
command -v promtool >/dev/null && command -v prometheus >/dev/null && exit 0
export DEBIAN_FRONTEND=noninteractive
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT
apt-get -o DPkg::Lock::Timeout=300 update -qq
apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends prometheus >/dev/null
