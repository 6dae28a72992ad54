#!/usr/bin/env bash
# dev/ollama.sh — a real Ollama server with the tiny model, on any machine.
#
#   dev/ollama.sh up       use the Ollama at $OLLAMA_HOST (default 127.0.0.1:11434) if one
#                          answers; otherwise build Ollama $OLLAMA_VERSION from the Go module
#                          proxy (cached in .cache/ollama/), start it on loopback with its own
#                          models folder, and wait until it answers. Then register the
#                          project's tiny model (supportbench-tiny). Idempotent.
#                          Prints the endpoint as OLLAMA_HOST=... on stdout.
#   dev/ollama.sh down     stop the server that `up` started (by its recorded PID), if any.
#   dev/ollama.sh status   say what is running.
#   dev/ollama.sh build    only build (or find) the cached binary and print its path.
#
# Environment:
#   OLLAMA_HOST     where to look for / start the server (default 127.0.0.1:11434)
#   OLLAMA_VERSION  which Ollama to build (default 0.17.4)
#   SB_CACHE        cache folder (default <repo>/.cache)
#
# The tiny model answers gibberish: it exists for plumbing tests, the demo and
# benchmarks of our own overhead. See README.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=${OLLAMA_VERSION:-0.17.4}
malgo_version=v0.11.24
cache=${SB_CACHE:-$root/.cache}
bindir=$cache/ollama/v$version/bin
bin=$bindir/ollama
statedir=$cache/ollama/server
host=${OLLAMA_HOST:-127.0.0.1:11434}
host=${host#http://}
host=${host%/}
case $host in *:*) ;; *) host=$host:11434 ;; esac
port=${host##*:}
pidfile=$statedir/$port.pid
logfile=$statedir/$port.log

log() { printf 'ollama.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

answers() { curl -fsS -m 2 "http://$host/api/version" >/dev/null 2>&1; }

# need_headers installs the Debian packages whose headers the llama.cpp sources include
# but the Go module zip omits (see shared/docs/ollama-dev.md).
need_headers() {
	local missing=()
	[ -f /usr/include/nlohmann/json.hpp ] || missing+=(nlohmann-json3-dev)
	[ -f /usr/include/stb/stb_image.h ] || missing+=(libstb-dev)
	command -v gcc >/dev/null || missing+=(gcc)
	command -v g++ >/dev/null || missing+=(g++)
	command -v curl >/dev/null || missing+=(curl)
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		die "missing build packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})"
	fi
	log "installing ${missing[*]} with apt-get"
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}

build() {
	if [ -x "$bin" ]; then
		echo "$bin"
		return 0
	fi
	need_headers
	local inc=$cache/ollama/v$version/include
	mkdir -p "$inc/miniaudio" "$bindir"
	# miniaudio.h is not in Debian; the malgo Go module ships it at its root.
	local malgo
	malgo=$(go mod download -json "github.com/gen2brain/malgo@$malgo_version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[ -f "$malgo/miniaudio.h" ] || die "could not find miniaudio.h in github.com/gen2brain/malgo@$malgo_version"
	cp "$malgo/miniaudio.h" "$inc/miniaudio/miniaudio.h"
	log "building Ollama v$version from the Go module proxy (a few minutes on 2 cores)"
	local start=$SECONDS tmp=$bindir.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	(cd "$cache" && GOBIN=$tmp CGO_ENABLED=1 CGO_CPPFLAGS="-I$inc" GOFLAGS=-mod=mod \
		go install -trimpath -ldflags "-s -w -X github.com/ollama/ollama/version.Version=$version" \
		"github.com/ollama/ollama@v$version") >&2
	mv "$tmp/ollama" "$bin"
	rm -rf "$tmp"
	log "built $bin in $((SECONDS - start))s"
	echo "$bin"
}

start() {
	mkdir -p "$statedir" "$cache/ollama/models"
	if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		log "process $(cat "$pidfile") from an earlier start is alive but not answering; stopping it"
		stop
	fi
	case ${host%:*} in
	127.* | localhost | "[::1]") ;;
	*) die "no Ollama answers at $host, and this script only starts one on loopback (set OLLAMA_HOST=127.0.0.1:PORT)" ;;
	esac
	local exe
	exe=$(build)
	log "starting $exe on $host (log: $logfile)"
	# num_thread is set per model; OLLAMA_NUM_PARALLEL lets the runner serve concurrent requests.
	OLLAMA_HOST=$host OLLAMA_MODELS=$cache/ollama/models OLLAMA_KEEP_ALIVE=${OLLAMA_KEEP_ALIVE:-30m} \
		OLLAMA_NUM_PARALLEL=${OLLAMA_NUM_PARALLEL:-4} OLLAMA_NOPRUNE=1 \
		nohup "$exe" serve >"$logfile" 2>&1 </dev/null &
	echo $! >"$pidfile"
	local i
	for i in $(seq 1 200); do
		answers && return 0
		kill -0 "$(cat "$pidfile")" 2>/dev/null || { tail -20 "$logfile" >&2; die "ollama serve exited; see $logfile"; }
		sleep 0.1
	done
	die "ollama serve did not answer on $host within 20s; see $logfile"
}

stop() {
	[ -f "$pidfile" ] || { log "no server started by this script on port $port"; return 0; }
	local pid
	pid=$(cat "$pidfile")
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid"
		local i
		for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
		log "stopped ollama (pid $pid)"
	fi
	rm -f "$pidfile"
}

up() {
	command -v curl >/dev/null || need_headers
	if answers; then
		log "using the Ollama server at $host ($(curl -fsS -m 2 "http://$host/api/version"))"
	else
		start
	fi
	(cd "$root" && go run ./dev/tinymodel -host "http://$host") >&2
	echo "OLLAMA_HOST=http://$host"
}

case ${1:-up} in
up) up ;;
down | stop) stop ;;
build) build ;;
status)
	if answers; then echo "ollama at $host: $(curl -fsS -m 2 "http://$host/api/version")"; else echo "nothing answers at $host"; fi
	[ -f "$pidfile" ] && echo "started by this script: pid $(cat "$pidfile")"
	;;
*) die "usage: dev/ollama.sh [up|down|status|build]" ;;
esac
