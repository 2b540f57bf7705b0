#!/usr/bin/env bash
# stress-ng, which `metallb-net lab soak --stress` runs inside a stressed node's cgroup
# (docs/lab.md#soak) and Lab.Tests' soak test uses. Idempotent and quiet: installs only when missing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
dpkg-query -W -f='${Status}' stress-ng 2>/dev/null | grep -q 'install ok installed' && exit 0
apt-get update -qq > /dev/null
apt-get install -y -qq --no-install-recommends stress-ng > /dev/null
echo "installed: stress-ng"
