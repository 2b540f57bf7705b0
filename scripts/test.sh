#!/usr/bin/env bash
# The one test command (README, .ci/run): install what the suite needs, build, run every test,
# run every benchmark harness at its smoke size, and end with "tests: N passed, M failed[, K skipped]"
# counted from the test results (each harness counts as one).
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

# Every benchmark harness at a tiny size ("smoke"), checking its own assertions, so a harness
# that rots fails here and not on the day someone measures. Exit 3 means a prerequisite is
# missing (root, a tool): a skip, which CI turns into a failure below like any other skip.
step "benchmark harnesses at smoke size"
bench_passed=0; bench_failed=0; bench_skipped=0; bench_skips=""
for proj in tests/*.Bench/*.csproj tests/MetalLb.Net.Benchmarks/*.csproj; do
  name=$(basename "$proj" .csproj)
  log="$results/$name.smoke.log"
  started=$(date +%s)
  # Lab.Bench brings up two whole labs (about 2 min each at load 15) before its round of 14 trials.
  limit=300; [ "$name" = MetalLb.Net.Lab.Bench ] && limit=900
  timeout "$limit" dotnet "$(dirname "$proj")/bin/Release/net10.0/$name.dll" smoke > "$log" 2>&1
  rc=$?
  took=$(( $(date +%s) - started ))
  if [ $rc -eq 0 ] && grep -q '^smoke: ok' "$log"; then
    bench_passed=$((bench_passed + 1)); echo "-- $name: ok (${took} s)"
  elif [ $rc -eq 3 ]; then
    bench_skipped=$((bench_skipped + 1)); bench_skips="$bench_skips $name"
    echo "-- $name: skipped ($(tail -n 1 "$log"))"
  else
    bench_failed=$((bench_failed + 1)); status=1
    echo "-- $name: FAILED (exit $rc, ${took} s); the end of $log:"; tail -n 15 "$log"
  fi
done

# Count from the TRX files: every test project writes one <Counters .../> line.
read -r passed failed skipped < <(
  cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' | awk '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/[">\/]/, "", kv[2]); c[kv[1]] += kv[2] } }
    END { printf "%d %d %d\n", c["passed"], c["failed"] + c["error"] + c["timeout"] + c["aborted"], c["notExecuted"] }')
passed=$((passed + bench_passed)); failed=$((failed + bench_failed)); skipped=$((skipped + bench_skipped))
[ "$failed" -gt 0 ] && status=1
[ "$passed" -eq 0 ] && status=1
# Under CI every prerequisite was installed above, so a skip means a test did not run: fail.
if [ "${CI:-}" = "true" ] && [ "$skipped" -gt 0 ]; then
  status=1
  echo
  echo "CI=true and $skipped test(s) skipped; a skip under CI is a failure:"
  cat "$results"/*.trx | grep -o '<UnitTestResult [^>]*outcome="NotExecuted"[^>]*>' | grep -o 'testName="[^"]*"' | head -n 20
  [ -n "$bench_skips" ] && echo "benchmark harnesses:$bench_skips"
fi
echo
if [ "$skipped" -gt 0 ]; then
  echo "tests: $passed passed, $failed failed, $skipped skipped"
else
  echo "tests: $passed passed, $failed failed"
fi
exit $status
