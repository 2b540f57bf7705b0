#!/usr/bin/env bash
# The one test command (README, .ci/run): install what the suite needs, build, run every test,
# and end with "tests: N passed, M failed[, K skipped]" counted from the test results.
# Idempotent: a second run installs nothing new.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/TestResults"
rm -rf "$results"; mkdir -p "$results"

step() { printf '\n== %s\n' "$*"; }

# Later issues add their system tools here (apt / npm), each installed only when missing.
for installer in scripts/install/*.sh; do
  [ -f "$installer" ] || continue
  step "installing: $installer"
  bash "$installer" || { echo "tests: 0 passed, 1 failed (installer $installer failed)"; exit 1; }
done

step "restore + build"
if ! dotnet build MetalLb.Net.sln -c Release > "$results/build.log" 2>&1; then
  grep -E 'error|Error' "$results/build.log" | sort -u | head -n 40
  echo "tests: 0 passed, 1 failed (build failed)"; exit 1
fi
tail -n 3 "$results/build.log"

step "tests"
status=0
for proj in tests/*.Tests/*.csproj; do
  name=$(basename "$proj" .csproj)
  echo "-- $name"
  dotnet test "$proj" -c Release --no-build --logger "trx;LogFileName=$name.trx" \
    --results-directory "$results" --logger "console;verbosity=minimal" || status=1
done

# Count from the TRX files: every test project writes one <Counters .../> line.
read -r passed failed skipped < <(
  cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' | awk '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/[">\/]/, "", kv[2]); c[kv[1]] += kv[2] } }
    END { printf "%d %d %d\n", c["passed"], c["failed"] + c["error"] + c["timeout"] + c["aborted"], c["notExecuted"] }')
[ "$failed" -gt 0 ] && status=1
[ "$passed" -eq 0 ] && status=1
# Under CI every prerequisite was installed above, so a skip means a test did not run: fail.
if [ "${CI:-}" = "true" ] && [ "$skipped" -gt 0 ]; then
  status=1
  echo
  echo "CI=true and $skipped test(s) skipped; a skip under CI is a failure:"
  cat "$results"/*.trx | grep -o '<UnitTestResult [^>]*outcome="NotExecuted"[^>]*>' | grep -o 'testName="[^"]*"' | head -n 20
fi
echo
if [ "$skipped" -gt 0 ]; then
  echo "tests: $passed passed, $failed failed, $skipped skipped"
else
  echo "tests: $passed passed, $failed failed"
fi
exit $status
