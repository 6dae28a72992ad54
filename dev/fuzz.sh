#!/usr/bin/env bash
# Runs every fuzz target for a while, one after another, and prints one line per
# target: how long it ran, how many inputs it executed, and whether it found anything.
#
#   dev/fuzz.sh            # 5 minutes per target (the bar in docs/reliability.md)
#   dev/fuzz.sh 30s        # a quick pass
#   dev/fuzz.sh 5m results:FuzzScan scorers:FuzzClaims   # only these targets
#   FUZZ_PARALLEL=2 dev/fuzz.sh
#   FUZZ_MINIMIZE=10x dev/fuzz.sh 5m results:FuzzWriters   # cap minimization (default 3s)
#
# A finding is saved under PACKAGE/testdata/fuzz/TARGET/ by go test: commit it with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
time_per_target=${1:-5m}
shift || true
parallel=${FUZZ_PARALLEL:-1}
# Go minimizes every new interesting input for up to 60 s by default; for the targets
# that write workbooks (~0.1 s an input) that is most of the run, so it is capped.
minimize=${FUZZ_MINIMIZE:-3s}
log_dir=${FUZZ_LOG_DIR:-$(mktemp -d)}
targets=(
  datasets:FuzzLoadJSONL datasets:FuzzLoadYAML datasets:FuzzLoadCSV datasets:FuzzLoadXLSX
  datasets:FuzzLoadXLSXCells datasets:FuzzSuiteYAML datasets:FuzzReadAnswers
  results:FuzzScan results:FuzzWriters results:FuzzRedact
  scorers:FuzzClaims scorers:FuzzScore
)
[ $# -gt 0 ] && targets=("$@")
failed=0
for t in "${targets[@]}"; do
  pkg=${t%%:*} name=${t#*:}
  log="$log_dir/$name.log"
  start=$(date +%s)
  if go test "./$pkg" -run '^$' -fuzz "^$name\$" -fuzztime "$time_per_target" \
      -fuzzminimizetime "$minimize" -parallel "$parallel" >"$log" 2>&1; then
    status=ok
  else
    status=FOUND
    failed=1
  fi
  end=$(date +%s)
  execs=$({ grep -o 'execs: [0-9]*' "$log" || true; } | tail -1 | awk '{print $2}')
  printf '%-18s %-8s %5ss  %10s execs  %s\n' "$name" "$status" "$((end - start))" "${execs:-?}" "$log"
done
exit $failed
