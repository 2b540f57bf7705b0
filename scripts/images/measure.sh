#!/usr/bin/env bash
# Measures the four publish variants of both images in one run, in the scenario of the image
# tests: for each variant, build.sh builds localhost/metallb-net-{controller,speaker}:<variant>,
# then ControllerImageTests (the controller allocating against the emulator) and
# SpeakerImageTests (the speaker in a node namespace announcing an L2 and a BGP Service) run on
# it. Each test appends the image's size (podman image inspect) and the running container's VmRSS
# to a figures file (ContainerImages.RecordAsync). Prints a markdown table for docs/benchmarks.md,
# with the machine's load at the start and end, and fails when any test failed.
#   scripts/images/measure.sh                 (VARIANTS="aot trimmed" to measure fewer)
# Needs root, like build.sh. Takes long: each variant is two publishes and two image builds.
set -euo pipefail
cd "$(dirname "$0")/../.."
variants=${VARIANTS:-aot trimmed self-contained framework-dependent}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dir=artifacts/images/measure-$stamp
mkdir -p "$dir"
figures=$PWD/$dir/figures.tsv
: > "$figures"
echo "start $(date -u +%FT%TZ): $(uptime)" | tee "$dir/load.txt"
dotnet build tests/MetalLb.Net.Deploy.Tests -c Release > "$dir/build.log" 2>&1 || { tail -n 30 "$dir/build.log"; exit 1; }

failed=()
for v in $variants; do
  for c in controller speaker; do
    # Published size: the folder build.sh copies into the image.
    if ! TAG=$v VARIANT=$v ONLY=$c scripts/images/build.sh > "$dir/build-$v-$c.log" 2>&1; then
      tail -n 20 "$dir/build-$v-$c.log"; failed+=("$v/$c build"); continue
    fi
    printf '%s\t%s\t%s\n' "$v" "$c" "$(du -sb "artifacts/images/$v/$c" | cut -f1)" >> "$dir/published.tsv"
  done
  echo "$v built $(date -u +%FT%TZ): $(uptime)" | tee -a "$dir/load.txt"
  if ! TAG=$v VARIANT=$v CI=true METALLB_NET_IMAGE_FIGURES=$figures \
       dotnet test tests/MetalLb.Net.Deploy.Tests -c Release --no-build \
       --filter "FullyQualifiedName~ControllerImageTests|FullyQualifiedName~SpeakerImageTests" \
       --logger "console;verbosity=normal" > "$dir/test-$v.log" 2>&1; then
    failed+=("$v tests")
  fi
  grep -E '^(Passed|Failed)!|Total tests' "$dir/test-$v.log" | sed "s/^/$v: /" || true
done
echo "end $(date -u +%FT%TZ): $(uptime)" | tee -a "$dir/load.txt"

# One row per variant: published size, image size, RSS, for the controller then the speaker.
echo
echo "| variant | controller publish | controller image | controller RSS after allocating | speaker publish | speaker image | speaker RSS announcing 1 L2 + 1 BGP Service |"
echo "|---|---|---|---|---|---|---|"
for v in $variants; do
  row="| $v"
  for c in controller speaker; do
    pub=$(awk -F'\t' -v v="$v" -v c="$c" '$1 == v && $2 == c { printf "%.1f MB", $3 / 1e6 }' "$dir/published.tsv" 2>/dev/null)
    img=$(awk -F'\t' -v i="localhost/metallb-net-$c:$v" '$1 == i { printf "%.0f MB", $3 / 1e6 }' "$figures")
    rss=$(awk -F'\t' -v i="localhost/metallb-net-$c:$v" '$1 == i && $4 != "" { printf "%s MiB", $4 }' "$figures")
    row="$row | ${pub:-not built} | ${img:-test failed} | ${rss:-test failed}"
  done
  echo "$row |"
done | tee "$dir/table.md"
echo
echo "logs and figures: $dir"
if [ ${#failed[@]} -gt 0 ]; then echo "FAILED: ${failed[*]}"; exit 1; fi
