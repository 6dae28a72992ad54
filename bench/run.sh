#!/usr/bin/env bash
# bench/run.sh — measure supportbench against real Ollama servers with the tiny model and
# print one table (docs/performance.md explains it and records the numbers).
#
#   bench/run.sh            everything (about 15–25 minutes on 2 cores)
#   bench/run.sh quick      the overhead rows only
#   bench/run.sh servers    the 1-vs-2-servers row only
#   bench/run.sh big        the 10k x 2 and all-cached rows only
#
# Rows:
#   overhead c=N   wall time of `supportbench run` (process start to exit: suite load,
#                  warm-up, requests, scoring, every output file) against a minimal loop
#                  that sends the same requests with the bare API client (bench bareloop),
#                  median of REPS runs each, at concurrency 1, 2 and 4;
#   servers        throughput with one Ollama server against two (second on port $PORT2, default 11435),
#                  on the overhead suite and on one with a customer record per case;
#   10k x 2        10,000 cases x 2 models: wall time, peak RSS, run directory size;
#   resume cached  the same run again with every answer cached: time and model calls.
#
# Environment: CASES (overhead suite size, default 300), REPS (default 3), BIG (default 10000),
# OLLAMA_HOST (the first server; one is started there if none answers), PORT2 (default 11435).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mode=${1:-all}
case $mode in all | quick | servers | big) ;; *) echo "usage: bench/run.sh [all|quick|servers|big]" >&2; exit 2 ;; esac
cases=${CASES:-300}
reps=${REPS:-3}
big=${BIG:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${second:-}" ] && OLLAMA_HOST=127.0.0.1:${PORT2:-11435} dev/ollama.sh down >/dev/null 2>&1 || true' EXIT

command -v /usr/bin/time >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq time >/dev/null; }
host=$(dev/ollama.sh up | sed -n 's/^OLLAMA_HOST=//p')
go build -o "$work/supportbench" ./cmd/supportbench
go build -o "$work/bench" ./bench
"$work/bench" gensuite -out "$work/suite" -cases "$cases"

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# sb RUNDIR ARGS... runs supportbench quietly and prints its wall time in ms.
sb() {
	local out=$1
	shift
	local t0 t1 code=0
	t0=$(now_ms)
	"$work/supportbench" run --suite "$work/suite" --out "$out" --cache-dir "$work/cache" "$@" >/dev/null 2>"$work/sb.err" || code=$?
	t1=$(now_ms)
	if [ "$code" -gt 1 ]; then cat "$work/sb.err" >&2; exit 1; fi
	echo $((t1 - t0))
}

# bare_ms C runs the bare loop over the suite at concurrency C and prints its wall time in ms.
bare_ms() {
	local t0
	t0=$(now_ms)
	"$work/bench" bareloop -suite "$work/suite" -ollama "$host" -concurrency "$1" -num-ctx 2048 >/dev/null
	echo $(($(now_ms) - t0))
}

printf '%-16s %12s %12s %8s  %s\n' row supportbench bare ratio notes
want() { [ "$mode" = all ] || [ "$mode" = "$1" ]; }
# Load the model with the context both sides use, untimed, so neither pays the load.
curl -fsS "$host/api/generate" -d '{"model":"supportbench-tiny","prompt":"hi","options":{"num_ctx":2048,"num_predict":1}}' >/dev/null
if want quick; then
for c in 1 2 4; do
	ours=() bare=()
	for r in $(seq 1 "$reps"); do
		# Alternate which goes first, so drift in the machine's load favours neither.
		if [ $((r % 2)) -eq 1 ]; then
			bare+=($(bare_ms "$c"))
			ours+=($(sb "$work/run-c$c-$r" --ollama "$host" --no-cache --concurrency "$c" --num-ctx 2048))
		else
			ours+=($(sb "$work/run-c$c-$r" --ollama "$host" --no-cache --concurrency "$c" --num-ctx 2048))
			bare+=($(bare_ms "$c"))
		fi
	done
	o=$(printf '%s\n' "${ours[@]}" | median)
	b=$(printf '%s\n' "${bare[@]}" | median)
	# The ratio is the median of the paired ratios (each pair ran back to back), which
	# is steadier than a ratio of medians when the server's speed drifts between runs.
	ratio=$(for i in "${!ours[@]}"; do awk -v o="${ours[$i]}" -v b="${bare[$i]}" 'BEGIN {printf "%.4f\n", o/b}'; done | median)
	ratios=$(for i in "${!ours[@]}"; do awk -v o="${ours[$i]}" -v b="${bare[$i]}" 'BEGIN {printf "%.2f ", o/b}'; done)
	note="$cases requests, median of $reps pairs (pairs: ${ratios% })"
	if [ "$c" -eq 1 ]; then
		# At concurrency 1 the wall time not spent in a request is supportbench's own:
		# start, suite, model checks, scoring, recording, every output file.
		own=$(for r in $(seq 1 "$reps"); do
			lat=$(grep -o '"latency_ms":[0-9.]*' "$work/run-c1-$r/results.jsonl" | awk -F: '{s += $2} END {printf "%d", s}')
			awk -v w="${ours[$((r - 1))]}" -v l="$lat" 'BEGIN {printf "%.4f\n", (w - l) / w}'
		done | median)
		note="$note; own time $(awk -v f="$own" 'BEGIN {printf "%.1f%%", 100 * f}') of the wall time"
	fi
	printf '%-16s %10sms %10sms %8.3f  %s\n' "overhead c=$c" "$o" "$b" "$ratio" "$note"
done
# The same requests in suite file order: what sending cases as they come costs, against
# supportbench's order (cases sharing a system message together reuse Ollama's prompt cache).
t0=$(now_ms)
"$work/bench" bareloop -suite "$work/suite" -ollama "$host" -concurrency 1 -num-ctx 2048 -order suite >/dev/null
t1=$(now_ms)
printf '%-16s %10sms %10sms %8s  %s\n' "file order c=1" "-" "$((t1 - t0))" "-" "bare loop sending cases in file order (no prompt-cache grouping)"
fi

# One server against two: the same suite at concurrency 2 per server; once with the
# overhead suite (cases share a cached prompt prefix, so each request is little model
# work next to Ollama's own per-request CPU) and once with a customer record per case
# (new prompt text in every request, as in a real suite).
if want servers; then
second=1
host2=$(OLLAMA_HOST=127.0.0.1:${PORT2:-11435} dev/ollama.sh up | sed -n 's/^OLLAMA_HOST=//p')
"$work/bench" gensuite -out "$work/suite-records" -cases "$cases" -records
for variant in shared records; do
	suite_dir=$work/suite
	[ "$variant" = records ] && suite_dir=$work/suite-records
	ones=() twos=()
	for r in $(seq 1 "$reps"); do
		if [ $((r % 2)) -eq 1 ]; then
			ones+=($(sb "$work/run-one-$variant-$r" --suite "$suite_dir" --ollama "$host" --no-cache --concurrency 2 --num-ctx 2048))
			twos+=($(sb "$work/run-two-$variant-$r" --suite "$suite_dir" --ollama "$host" --ollama "$host2" --no-cache --concurrency 2 --num-ctx 2048))
		else
			twos+=($(sb "$work/run-two-$variant-$r" --suite "$suite_dir" --ollama "$host" --ollama "$host2" --no-cache --concurrency 2 --num-ctx 2048))
			ones+=($(sb "$work/run-one-$variant-$r" --suite "$suite_dir" --ollama "$host" --no-cache --concurrency 2 --num-ctx 2048))
		fi
	done
	one=$(printf '%s\n' "${ones[@]}" | median)
	two=$(printf '%s\n' "${twos[@]}" | median)
	printf '%-16s %10sms %10sms %8s  %s\n' "servers ($variant)" "$two" "$one" "$(awk -v o="$one" -v t="$two" 'BEGIN {printf "%.2fx", o/t}')" \
		"2 servers (first column) vs 1 (second), concurrency 2 each, median of $reps"
done
OLLAMA_HOST=127.0.0.1:${PORT2:-11435} dev/ollama.sh down >/dev/null 2>&1 || true
second=
fi
want big || exit 0

# 10,000 cases x 2 models (a second name for the tiny model).
curl -fsS "$host/api/copy" -d '{"source":"supportbench-tiny","destination":"supportbench-tiny-b"}' >/dev/null
"$work/bench" gensuite -out "$work/big" -cases "$big"
t0=$(now_ms)
/usr/bin/time -f '%M' -o "$work/rss" "$work/supportbench" run --suite "$work/big" --out "$work/run-big" --cache-dir "$work/cache-big" \
	--model supportbench-tiny --model supportbench-tiny-b --ollama "$host" --concurrency 4 --num-ctx 2048 >/dev/null 2>"$work/sb.err" || [ $? -eq 1 ]
wall=$(($(now_ms) - t0))
rss=$(($(cat "$work/rss") / 1024))
size=$(du -sh "$work/run-big" | cut -f1)
printf '%-16s %10sms %12s %8s  %s\n' "10k x 2 models" "$wall" "-" "-" "peak RSS ${rss} MB, run directory $size, $((2 * big)) answers"

# Everything cached: a new run of the same suite makes no model calls.
t0=$(now_ms)
"$work/supportbench" run --suite "$work/big" --out "$work/run-big2" --cache-dir "$work/cache-big" \
	--model supportbench-tiny --model supportbench-tiny-b --ollama "$host" --concurrency 4 --num-ctx 2048 >/dev/null 2>&1 || [ $? -eq 1 ]
wall=$(($(now_ms) - t0))
calls=$(sed -n 's/.*"model_calls": \([0-9]*\).*/\1/p' "$work/run-big2/manifest.json")
printf '%-16s %10sms %12s %8s  %s\n' "all cached" "$wall" "-" "-" "model calls: $calls (warm-up excluded)"
