#!/usr/bin/env bash
# Checks every manifest this repository ships:
#   1. copies the chart carries (CRD, alerts, dashboard) equal their sources;
#   2. helm lint --strict and helm template for each values file in deploy/helm/celery-operator/ci/;
#   3. kubectl kustomize deploy/, deploy/monitoring/ and deploy/monitoring-kube-prometheus-stack/;
#   4. every rendered manifest, and the samples, applied with `kubectl apply --server-side --dry-run=server`
#      against the API emulator, run as a process on a free port.
# The chart declares KEDA as a dependency, which needs the network to fetch. Without it, the chart is linted and
# rendered from a temporary copy whose Chart.yaml has no dependency list (keda.enabled is false there anyway);
# values files that enable KEDA are rendered only when the KEDA chart is present in charts/ or
# HELM_DEPENDENCY_BUILD=1 allows `helm dependency build` to fetch it. Nothing downloaded is kept in the tree.
# The emulator does not serve monitoring.coreos.com; stand-in CRDs
# (Operator.IntegrationTests/Packaging/monitoring-stand-in-crds.yaml) give those kinds their upstream shape first.
# RBAC kinds are the emulator's own (rbac.authorization.k8s.io/v1, validated like any built-in kind).
# Expects a built solution (Release, or $CONFIG): it runs the emulator with --no-build.
# Rendered output is left in $MANIFESTS_OUT (default artifacts/manifests) for inspection and tests.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
config=${CONFIG:-Release}
out=${MANIFESTS_OUT:-$root/artifacts/manifests}
chart=deploy/helm/celery-operator
kubectl=${KUBECTL:-kubectl}
failures=0

step() { printf '== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; failures=$((failures + 1)); }

work=$(mktemp -d)
emulator_pid=""
cleanup() {
  if [[ -n $emulator_pid ]] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill -TERM "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

rm -rf "$out"
mkdir -p "$out"

step "chart copies equal their sources"
cmp -s deploy/crds/celeryproject.org_celeries.yaml "$chart/files/crds/celeryproject.org_celeries.yaml" \
  || fail "$chart/files/crds differs from deploy/crds: cp deploy/crds/celeryproject.org_celeries.yaml $chart/files/crds/"
cmp -s deploy/monitoring/grafana-dashboard.json "$chart/files/grafana-dashboard.json" \
  || fail "$chart/files/grafana-dashboard.json differs: cp deploy/monitoring/grafana-dashboard.json $chart/files/"
# files/alerts.yaml is the spec of the PrometheusRule, de-indented, under a one-line header comment.
diff <(sed -n '/^spec:/,$p' deploy/monitoring/prometheus-rule.yaml | tail -n +2 | sed 's/^  //') \
     <(grep -v '^#' "$chart/files/alerts.yaml") >/dev/null \
  || fail "$chart/files/alerts.yaml differs from the spec of deploy/monitoring/prometheus-rule.yaml"

step "helm"
helm=$(scripts/install-helm.sh)
"$helm" version --short

# A copy of the chart without its dependency list renders offline.
offline_chart="$work/chart/celery-operator"
mkdir -p "$work/chart"
cp -R "$chart" "$offline_chart"
rm -rf "$offline_chart/charts" "$offline_chart/Chart.lock"
awk '/^dependencies:/ { skip = 1; next } skip && /^[^[:space:]#-]/ { skip = 0 } !skip' "$chart/Chart.yaml" > "$offline_chart/Chart.yaml"

full_chart_ready=false
if compgen -G "$chart/charts/keda-*.tgz" >/dev/null; then
  full_chart_ready=true
elif [[ ${HELM_DEPENDENCY_BUILD:-0} == 1 ]]; then
  full_chart="$work/full/celery-operator"
  mkdir -p "$work/full"
  cp -R "$chart" "$full_chart"
  if "$helm" dependency build "$full_chart" >/dev/null; then
    chart=$full_chart
    full_chart_ready=true
  else
    fail "helm dependency build could not fetch KEDA"
  fi
fi

enables_keda() { awk '/^keda:/ { k = 1; next } k && /^[^[:space:]]/ { k = 0 } k && /enabled:[[:space:]]*true/ { found = 1 } END { exit !found }' "$1"; }

for values in deploy/helm/celery-operator/ci/*.yaml; do
  name=$(basename "$values" .yaml)
  target=$offline_chart
  if enables_keda "$values"; then
    if [[ $full_chart_ready != true ]]; then
      echo "skip $name: it enables KEDA and the KEDA chart is not available offline (HELM_DEPENDENCY_BUILD=1 fetches it)"
      continue
    fi
    target=$chart
  fi
  if ! "$helm" lint --strict "$target" --namespace celery-operator -f "$values" >"$work/lint.log" 2>&1; then
    cat "$work/lint.log" >&2
    fail "helm lint $name"
    continue
  fi
  if "$helm" template celery-operator "$target" --namespace celery-operator -f "$values" >"$out/helm-$name.yaml" 2>"$work/template.log"; then
    echo "rendered helm-$name.yaml ($(grep -c '^kind:' "$out/helm-$name.yaml") objects)"
  else
    cat "$work/template.log" >&2
    fail "helm template $name"
  fi
done

step "kustomize"
for dir in deploy deploy/monitoring deploy/monitoring-kube-prometheus-stack; do
  file="$out/kustomize-$(echo "$dir" | tr / -).yaml"
  if "$kubectl" kustomize "$dir" >"$file" 2>"$work/kustomize.log"; then
    echo "rendered $(basename "$file") ($(grep -c '^kind:' "$file") objects)"
  else
    cat "$work/kustomize.log" >&2
    fail "kubectl kustomize $dir"
  fi
done

step "server-side dry run on the API emulator"
kubeconfig="$work/kubeconfig.yaml"
dotnet run --project Operator.Emulator -c "$config" --no-build -- --port 0 --kubeconfig "$kubeconfig" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 120); do
  grep -qs current-context "$kubeconfig" && break
  kill -0 "$emulator_pid" 2>/dev/null || break
  sleep 0.5
done
if ! grep -qs current-context "$kubeconfig"; then
  cat "$work/emulator.log" >&2
  fail "the emulator did not start (build the solution with -c $config first)"
  exit 1
fi
k() { "$kubectl" --kubeconfig "$kubeconfig" --cache-dir "$work/kube-cache" "$@"; }

# Stand-ins for kinds the emulator lacks, the CRDs the manifests and samples need, and every namespace they
# name (a dry run creates nothing, so a namespaced object needs its namespace to exist already). `apply -f`
# is used throughout: kubectl's generator commands (create namespace) send protobuf, which the emulator rejects.
k apply --server-side -f Operator.IntegrationTests/Packaging/monitoring-stand-in-crds.yaml -f deploy/crds/ >/dev/null
namespaces=$(cat "$out"/*.yaml deploy/samples/*.yaml | sed -n 's/^[[:space:]]*namespace:[[:space:]]*\([a-z0-9-]*\)[[:space:]]*$/\1/p' | sort -u)
for namespace in $namespaces default; do
  printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n' "$namespace"
  echo ---
done | k apply --server-side -f - >/dev/null
k wait --for condition=established --timeout=60s crd --all >/dev/null

for file in "$out"/*.yaml deploy/samples/*.yaml; do
  if k apply --server-side --dry-run=server -f "$file" >"$work/apply.log" 2>&1; then
    echo "ok $(basename "$file") ($(grep -c 'serverside-applied' "$work/apply.log") objects)"
  else
    cat "$work/apply.log" >&2
    fail "dry run of $(basename "$file")"
  fi
done

if ((failures > 0)); then
  echo "check-manifests: $failures failure(s)" >&2
  exit 1
fi
echo "check-manifests: all manifests valid"
