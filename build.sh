#!/usr/bin/env bash
# One entry point for developers and CI.
#   ./build.sh test    install what the tests need, build (warnings are errors), check formatting,
#                      run every test project, print one summary line.
#   ./build.sh build   build only.
#   ./build.sh format  apply `dotnet format`.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
CONFIG=${CONFIG:-Release}
RESULTS=${RESULTS:-artifacts/test-results}

build() {
  dotnet build celery-operator.sln -c "$CONFIG" --nologo -v quiet
}

check_format() {
  dotnet format celery-operator.sln --verify-no-changes --no-restore -v quiet
}

# Runs one test project; its console summary is kept for the final tally.
run_tests() {
  local project=$1; shift
  local log="$RESULTS/$(basename "$project").log"
  set +e
  dotnet test "$project" -c "$CONFIG" --no-build --nologo \
    --logger "trx;LogFileName=$(basename "$project").trx" --results-directory "$RESULTS" "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  return "$rc"
}

# Sums "Failed: N, Passed: N, Skipped: N" over every project into the plain closing line CI reads.
summarize() {
  local passed=0 failed=0 skipped=0 line
  while IFS= read -r line; do
    [[ $line =~ Failed:[[:space:]]*([0-9]+),[[:space:]]*Passed:[[:space:]]*([0-9]+),[[:space:]]*Skipped:[[:space:]]*([0-9]+) ]] || continue
    failed=$((failed + BASH_REMATCH[1])); passed=$((passed + BASH_REMATCH[2])); skipped=$((skipped + BASH_REMATCH[3]))
  done < <(cat "$RESULTS"/*.log 2>/dev/null)
  echo "tests: $passed passed, $failed failed, $skipped skipped"
}

cmd_test() {
  scripts/install-test-deps.sh
  rm -rf "$RESULTS"; mkdir -p "$RESULTS"
  build
  check_format
  local rc=0
  # Lints and renders the Helm chart and kustomizations, and dry-runs every manifest against the emulator.
  scripts/check-manifests.sh || rc=1
  run_tests Operator.Tests/Operator.Tests.csproj || rc=1
  run_tests Operator.IntegrationTests/Operator.IntegrationTests.csproj || rc=1
  summarize
  return "$rc"
}

case "${1:-test}" in
  test) cmd_test ;;
  build) build ;;
  format) dotnet format celery-operator.sln ;;
  *) echo "usage: $0 [test|build|format]" >&2; exit 2 ;;
esac
