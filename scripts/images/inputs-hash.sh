#!/usr/bin/env bash
# Prints the hash of everything an image's content depends on: the sources of the executable's
# project and every project it references (bin/ and obj/ left out), the repository-wide build
# files, Dockerfile.<name> and the publish variant (not the scripts: they change how an image is
# built, not what is in it). build.sh stores it as the image label io.metallb-net.inputs; a test
# compares the label with this hash and rebuilds when they differ, so it never runs an image of
# older code.
#   scripts/images/inputs-hash.sh controller|speaker   (VARIANT and PUBLISH_FLAGS as for build.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
name=$1
project="src/MetalLb.Net.${name^}"
# The ProjectReference closure, as folders under src/.
declare -A seen=()
queue=("$project")
while [ ${#queue[@]} -gt 0 ]; do
  dir=${queue[0]}; queue=("${queue[@]:1}")
  [ -n "${seen[$dir]:-}" ] && continue
  seen[$dir]=1
  for ref in $(grep -ho 'ProjectReference Include="[^"]*"' "$dir"/*.csproj | sed 's/.*Include="\(.*\)"/\1/'); do
    queue+=("$(realpath --relative-to=. "$dir/$(dirname "$ref")")")
  done
done
{
  echo "variant=${VARIANT:-aot} flags=${PUBLISH_FLAGS:-}"
  for dir in "${!seen[@]}"; do find "$dir" -type d \( -name bin -o -name obj \) -prune -o -type f -print; done
  printf '%s\n' Directory.Build.props Directory.Packages.props global.json "Dockerfile.$name"
} | { read -r header; echo "$header"; LC_ALL=C sort | while read -r f; do [ -f "$f" ] && echo "$f"; done | xargs -r -d '\n' sha256sum; } \
  | sha256sum | cut -c1-16
