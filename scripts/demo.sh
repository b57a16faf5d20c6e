#!/usr/bin/env bash
# The operator's main job end to end, on one machine with only the .NET SDK and kubectl:
# start the Kubernetes API emulator, run the operator against it, apply a sample with kubectl,
# wait for the resource to report Ready, and print what the operator created.
#   scripts/demo.sh [SAMPLE]     (default deploy/samples/minimal.yaml)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
sample=${1:-deploy/samples/minimal.yaml}
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "==> building"
dotnet build celery-operator.sln -c Release --nologo -v quiet >/dev/null

echo "==> starting the Kubernetes API emulator (Deployments become available 1s after each change)"
dotnet Operator.Emulator/bin/Release/net10.0/Operator.Emulator.dll --port 0 --kubeconfig "$work/kubeconfig" \
  --deployment-controller-delay 1s >"$work/emulator.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/kubeconfig" ] && break; sleep 0.1; done
[ -s "$work/kubeconfig" ] || { echo "emulator did not start:"; cat "$work/emulator.log"; exit 1; }
kubectl() { command kubectl --kubeconfig "$work/kubeconfig" "$@"; }

echo "==> installing the CRD"
kubectl apply --server-side -f deploy/crds/ >/dev/null

ns=$(grep -m1 '^  namespace:' "$sample" | awk '{print $2}'); ns=${ns:-default}
name=$(grep -m1 '^  name:' "$sample" | awk '{print $2}')
secret=$(awk '/urlSecretRef:/{f=1} f&&/name:/{print $2; exit}' "$sample")
printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n' "$ns" | kubectl apply --server-side -f - >/dev/null
if [ -n "$secret" ]; then
  echo "==> creating broker Secret $ns/$secret"
  printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: %s\nstringData:\n  url: redis://redis:6379/0\n' "$secret" "$ns" \
    | kubectl apply --server-side -f - >/dev/null
fi

echo "==> starting the operator"
dotnet Operator/bin/Release/net10.0/celery-operator.dll \
  --Operator:Kubernetes:KubeConfigPath="$work/kubeconfig" --Operator:ProbePort=0 --Operator:Metrics:Port=0 --Operator:BindAddress=127.0.0.1 \
  --Operator:LogFormat=Text --Operator:LeaderElection:Enabled=false >"$work/operator.log" 2>&1 &
pids+=($!)

echo "==> applying $sample"
kubectl apply --server-side -f "$sample"
echo "==> waiting for Ready"
if ! kubectl wait --for=condition=Ready "celery/$name" -n "$ns" --timeout=90s; then
  echo "operator log:"; tail -50 "$work/operator.log"; exit 1
fi
echo
kubectl get celery -n "$ns" -o wide
echo
kubectl get deployments,services,ingresses,poddisruptionbudgets,horizontalpodautoscalers -n "$ns" -l app.kubernetes.io/managed-by=celery-operator
echo
echo "==> status"
kubectl get celery "$name" -n "$ns" -o jsonpath='{range .status.conditions[*]}{.type}={.status} ({.reason}){"\n"}{end}'
echo
echo "operator: $(grep -m1 -o 'probes on .*' "$work/operator.log" || true); its log:"
tail -5 "$work/operator.log"
