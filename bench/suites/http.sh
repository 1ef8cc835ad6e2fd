#!/usr/bin/env bash
# http suite: wrk against Vigil's GET /api/health and an authenticated JSON route (GET /api/info),
# and against a bare Javalin hello-world route (the baseline), one after the other on this machine.
set -euo pipefail
command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-20s}   # both servers get the same JIT warm-up before they are measured
CONNS=${BENCH_CONNECTIONS:-50}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_up() { for _ in $(seq 1 120); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done; echo "not up: $1" >&2; exit 1; }
# wrk_run URL [header] -> prints "<req/s> <p99 ms>"
wrk_run() {
  local url=$1; shift
  wrk -t2 -c"$CONNS" -d"$WARMUP" "$@" "$url" >/dev/null
  wrk -t2 -c"$CONNS" -d"$DURATION" --latency "$@" "$url" > "$work/wrk.txt"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' "$work/wrk.txt")
  if grep -q "Non-2xx" "$work/wrk.txt"; then echo "non-2xx answers during $url:" >&2; grep "Non-2xx" "$work/wrk.txt" >&2; exit 1; fi
  echo "$rps $p99"
}
line() { java -cp "$BENCH_JAR" dev.vigil.bench.BenchLine "$@"; }

bport=$(free_port)
java -Xmx512m -cp "$BENCH_JAR" dev.vigil.bench.http.HelloJavalin "$bport" > "$work/baseline.log" 2>&1 &
pids+=($!)
wait_up "http://127.0.0.1:$bport/hello"
read -r base_rps base_p99 < <(wrk_run "http://127.0.0.1:$bport/hello")
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true

vport=$(free_port)
mkdir -p "$work/vigil"
(cd "$work/vigil" && VIGIL_PORT=$vport VIGIL_SERVER_RATE_LIMIT_IP_PER_SECOND=10000000 \
  VIGIL_SERVER_RATE_LIMIT_TOKEN_PER_SECOND=10000000 LOG_CONSOLE=false \
  exec java -Xmx512m -jar "$VIGIL_JAR" serve > "$work/vigil.log" 2>&1) &
pids+=($!)
wait_up "http://127.0.0.1:$vport/api/health"
token=$(cat "$work/vigil/vigil-data/admin.token")
read -r health_rps health_p99 < <(wrk_run "http://127.0.0.1:$vport/api/health")
read -r info_rps info_p99 < <(wrk_run "http://127.0.0.1:$vport/api/info" -H "Authorization: Bearer $token")

line http.health "$health_rps" "$base_rps" "req/s" higher "p99_ms=$health_p99" "baseline_p99_ms=$base_p99" "connections=$CONNS"
line http.info_authenticated "$info_rps" "$base_rps" "req/s" higher "p99_ms=$info_p99" "baseline_p99_ms=$base_p99" "connections=$CONNS"
