#!/usr/bin/env bash
# dev/test.sh — the whole test suite, end-to-end tests included, against a real Ollama
# server with the project's tiny model (started by dev/ollama.sh when none is running).
#
#   dev/test.sh                 vet + all tests with the race detector
#   dev/test.sh -run Runner     extra arguments go to `go test`
#
# The end-to-end tests read SUPPORTBENCH_OLLAMA; SUPPORTBENCH_E2E=require makes them fail
# rather than skip when no server answers, so a green run here means they ran.
# The full log is kept in .cache/test.log.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
host=$(dev/ollama.sh up | sed -n 's/^OLLAMA_HOST=//p')
[ -n "$host" ] || { echo "dev/test.sh: dev/ollama.sh up gave no endpoint" >&2; exit 1; }
export SUPPORTBENCH_OLLAMA=$host SUPPORTBENCH_E2E=require
echo "end-to-end tests against Ollama $(curl -fsS "$host/api/version") at $host"
go vet ./...
mkdir -p .cache
log=.cache/test.log
status=0
# -p 1: one test binary at a time. Test packages that send the same model requests with
# different num_ctx at once can stall Ollama 0.17's scheduler (a reload waits for an idle
# runner while the other package keeps it busy; see README, "Known Ollama behaviour").
go test -race -count=1 -p 1 -v "$@" ./... >"$log" 2>&1 || status=$?
# Show the end-to-end tests one by one and every package result; the rest is in the log.
grep -E '^(--- (PASS|FAIL|SKIP): TestE2E|ok |FAIL|PASS$|panic:)|^--- FAIL' "$log" || true
if [ "$status" -ne 0 ]; then
	echo
	echo "failures (full log: $log):"
	grep -E -B2 -A25 '^\s*--- FAIL' "$log" | head -200 || tail -50 "$log"
fi
passed=$(grep -cE '^\s*--- PASS' "$log" || true)
failed=$(grep -cE '^\s*--- FAIL' "$log" || true)
skipped=$(grep -cE '^\s*--- SKIP' "$log" || true)
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
