#!/usr/bin/env bash
# Gossip interop tests build a small Go program on hashicorp/memberlist as a foreign member
# (shared/reference/test-tools.md §7). Debian ships both; nothing is fetched at build time.
# Idempotent: installs only what is missing, and refreshes apt lists only then.
set -euo pipefail
need=()
for pkg in golang-go golang-github-hashicorp-memberlist-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
