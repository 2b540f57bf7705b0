#!/usr/bin/env bash
# Builds the controller and speaker images on a machine without Docker or registry access:
#   1. a local base image with the packages of Microsoft's runtime-deps image (Debian 12 from
#      mmdebstrap, imported into podman's store as localhost/metallb-net-base:bookworm), and for
#      the framework-dependent variant the same plus this machine's .NET and ASP.NET Core
#      runtimes (what mcr.microsoft.com/dotnet/aspnet adds), localhost/metallb-net-aspnet:bookworm;
#   2. a `dotnet publish` of each executable into artifacts/images/<variant>/<name>;
#   3. `buildah bud --target prebuilt` of Dockerfile.<name> with that base and folder, labelled
#      io.metallb-net.inputs=<scripts/images/inputs-hash.sh> so tests can tell a stale image.
# Result: localhost/metallb-net-controller:$TAG and localhost/metallb-net-speaker:$TAG (TAG=dev).
# VARIANT: aot (Native AOT, the default and what ships: smallest image, least memory; measured by
# scripts/images/measure.sh), trimmed (self-contained, IL trimmed), self-contained,
# framework-dependent. An image whose label already matches is kept (FORCE=1 rebuilds).
# ONLY=controller|speaker builds one. Needs root (chroot isolation).
# See ../shared/reference/test-tools.md section 9 for why each podman/buildah option is here.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
base=localhost/metallb-net-base:bookworm
tag=${TAG:-dev}
variant=${VARIANT:-aot}
export VARIANT=$variant

need=()
for tool in podman buildah runc mmdebstrap; do command -v "$tool" > /dev/null || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq podman buildah runc mmdebstrap > /dev/null
fi
# One image build at a time on this machine (they take minutes and both cores), whoever starts it.
exec 9> /tmp/metallb-net-image-build.lock
flock 9
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

case $variant in
  self-contained) flags="--self-contained" ;;
  trimmed) flags="--self-contained -p:PublishTrimmed=true" ;;
  # gcc links here (no clang on this machine); Microsoft's SDK image has clang.
  aot) flags="-p:PublishAot=true -p:CppCompilerAndLinker=gcc -p:StripSymbols=true" ;;
  framework-dependent)
    flags="--no-self-contained"
    dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
    fx=$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" { v = $2 } END { print v }')
    runtime_base=localhost/metallb-net-aspnet:$fx
    if ! podman image exists "$runtime_base"; then
      ctx=$(mktemp -d)
      mkdir -p "$ctx/dotnet/shared" "$ctx/dotnet/host"
      cp -a "$dotnet_root/dotnet" "$ctx/dotnet/"
      cp -a "$dotnet_root/host/fxr" "$ctx/dotnet/host/"
      for f in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
        mkdir -p "$ctx/dotnet/shared/$f"; cp -a "$dotnet_root/shared/$f/$fx" "$ctx/dotnet/shared/$f/"
      done
      printf 'FROM %s\nCOPY dotnet/ /usr/share/dotnet/\nRUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet\n' "$base" > "$ctx/Containerfile"
      buildah bud --isolation chroot -t "$runtime_base" -f "$ctx/Containerfile" "$ctx"
      rm -rf "$ctx"
    fi
    base=$runtime_base ;;
  *) echo "VARIANT must be self-contained, trimmed, aot or framework-dependent (not $variant)"; exit 2 ;;
esac

build() { # name project
  local name=$1 project=$2 out="artifacts/images/$variant/$1" image="localhost/metallb-net-$1:$tag" inputs
  if [ -n "${ONLY:-}" ] && [ "$ONLY" != "$name" ]; then return 0; fi
  inputs=$(scripts/images/inputs-hash.sh "$name")
  if [ -z "${FORCE:-}" ] && podman image exists "$image" \
     && [ "$(podman image inspect --format '{{ index .Labels "io.metallb-net.inputs" }}' "$image")" = "$inputs" ]; then
    echo "$image is up to date (inputs $inputs)"; return 0
  fi
  rm -rf "$out"; mkdir -p "$(dirname "$out")"
  # shellcheck disable=SC2086 # flags are words on purpose
  if ! dotnet publish "$project" -c Release -r linux-x64 $flags -o "$out" ${PUBLISH_FLAGS:-} > "$out.log" 2>&1; then
    grep -E 'error' "$out.log" | sort -u | head -n 20; echo "dotnet publish of $project failed (log: $out.log)"; return 1
  fi
  # Symbols are not needed at run time.
  find "$out" \( -name '*.pdb' -o -name '*.dbg' \) -delete
  buildah bud --isolation chroot --target prebuilt --build-arg BASE="$base" --build-arg PUBLISHED="$out" \
    --label "io.metallb-net.inputs=$inputs" --label "io.metallb-net.variant=$variant" \
    -t "$image" -f "Dockerfile.$name" "$root"
  echo "built $image ($variant, $(du -sh "$out" | cut -f1) published, inputs $inputs)"
}

build controller src/MetalLb.Net.Controller
build speaker src/MetalLb.Net.Speaker
