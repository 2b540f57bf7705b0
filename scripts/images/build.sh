#!/usr/bin/env bash
# Builds the controller and speaker images on a machine without Docker or registry access:
#   1. a local base image with the packages of Microsoft's runtime-deps image (Debian 12 from
#      mmdebstrap, imported into podman's store as localhost/metallb-net-base:bookworm);
#   2. a self-contained `dotnet publish` of each executable into artifacts/images/<name>;
#   3. `buildah bud --target prebuilt` of Dockerfile.<name> with that base and folder.
# Result: localhost/metallb-net-controller:dev and localhost/metallb-net-speaker:dev.
# The speaker is skipped, saying so, while src/MetalLb.Net.Speaker does not exist.
# Needs root (chroot isolation). Idempotent: the base is built once; images are rebuilt.
# See ../shared/reference/test-tools.md section 9 for why each podman/buildah option is here.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
base=localhost/metallb-net-base:bookworm
tag=${TAG:-dev}

need=()
for tool in podman buildah runc mmdebstrap; do command -v "$tool" > /dev/null || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq podman buildah runc mmdebstrap > /dev/null
fi
# This kernel refuses podman's default ulimits inside the build; an empty list avoids setrlimit.
conf=$(mktemp); trap 'rm -f "$conf"' EXIT
printf '[containers]\ndefault_ulimits = []\n' > "$conf"
export CONTAINERS_CONF="$conf"

if ! podman image exists "$base"; then
  tar=$(mktemp --suffix=.tar)
  # runtime-deps 10.0's packages: CA roots, glibc, libgcc, libstdc++, ICU, OpenSSL 3, tzdata, zlib.
  mmdebstrap --variant=minbase --include=ca-certificates,libssl3,libicu72,libstdc++6,tzdata,zlib1g bookworm "$tar"
  podman import "$tar" "$base"
  rm -f "$tar"
fi

build() { # name project
  local name=$1 project=$2 out="artifacts/images/$1"
  if [ ! -d "$project" ]; then
    echo "skip $name: $project does not exist in this checkout"
    return 0
  fi
  rm -rf "$out"; mkdir -p "$(dirname "$out")"
  if ! dotnet publish "$project" -c Release -r linux-x64 --self-contained -o "$out" ${PUBLISH_FLAGS:-} > "$out.log" 2>&1; then
    grep -E 'error' "$out.log" | sort -u | head -n 20; echo "dotnet publish of $project failed (log: $out.log)"; return 1
  fi
  buildah bud --isolation chroot --target prebuilt --build-arg BASE="$base" --build-arg PUBLISHED="$out" \
    -t "localhost/metallb-net-$name:$tag" -f "Dockerfile.$name" "$root"
  echo "built localhost/metallb-net-$name:$tag ($(du -sh "$out" | cut -f1) published)"
}

build controller src/MetalLb.Net.Controller
build speaker src/MetalLb.Net.Speaker
