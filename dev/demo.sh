#!/usr/bin/env bash
# dev/demo.sh — the Quick start demo: a real Ollama server with the tiny model (started
# by dev/ollama.sh when none is running), then `supportbench run` on the bundled demo
# suite. Extra arguments go to `supportbench run` (e.g. --model llama3.2:3b).
#
# The tiny model answers gibberish, so the demo's quality gates fail (NO-GO, exit 1):
# that is the honest verdict, and this script reports it without failing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
host=$(dev/ollama.sh up | sed -n 's/^OLLAMA_HOST=//p')
[ -n "$host" ] || { echo "dev/demo.sh: dev/ollama.sh up gave no endpoint" >&2; exit 1; }
mkdir -p .cache
go build -o .cache/supportbench ./cmd/supportbench
code=0
.cache/supportbench run --ollama "$host" "$@" || code=$?
case $code in
0) ;;
1) echo "demo: the gates failed (NO-GO), as they must for the tiny model, which answers gibberish." >&2 ;;
*) exit "$code" ;;
esac
