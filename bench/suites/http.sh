#!/usr/bin/env bash
# http suite: wrk against Vigil's GET /api/health and an authenticated JSON route (GET /api/info),
# and against a bare Javalin hello-world route (the baseline). Both servers run side by side (the idle
# one costs nothing), get the same JIT warm-up, and are then measured in alternation: ROUNDS rounds of
# baseline, /api/health, /api/info, so a machine whose load changes during the run tilts neither side.
# Each line gives the medians of the rounds and every round's own ratio (Vigil's req/s over the
# baseline's of the same round).
set -euo pipefail
command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-30s}   # per route, before the first round
CONNS=${BENCH_CONNECTIONS:-50}
ROUNDS=${BENCH_ROUNDS:-3}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_up() { for _ in $(seq 1 240); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done; echo "not up: $1" >&2; exit 1; }
# wrk_run URL [header] -> prints "<req/s> <p99 ms>"
wrk_run() {
  local url=$1; shift
  wrk -t2 -c"$CONNS" -d"$DURATION" --latency "$@" "$url" > "$work/wrk.txt"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' "$work/wrk.txt")
  if grep -q "Non-2xx" "$work/wrk.txt"; then echo "non-2xx answers during $url:" >&2; grep "Non-2xx" "$work/wrk.txt" >&2; exit 1; fi
  echo "$rps $p99"
}
line() { java -cp "$BENCH_JAR" dev.vigil.bench.BenchLine "$@"; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

bport=$(free_port)
java -Xmx512m -cp "$BENCH_JAR" dev.vigil.bench.http.HelloJavalin "$bport" > "$work/baseline.log" 2>&1 &
pids+=($!)
vport=$(free_port)
mkdir -p "$work/vigil"
(cd "$work/vigil" && VIGIL_PORT=$vport VIGIL_SERVER_RATE_LIMIT_IP_PER_SECOND=10000000 \
  VIGIL_SERVER_RATE_LIMIT_TOKEN_PER_SECOND=10000000 LOG_CONSOLE=false \
  exec java -Xmx512m -jar "$VIGIL_JAR" serve > "$work/vigil.log" 2>&1) &
pids+=($!)
wait_up "http://127.0.0.1:$bport/hello"
wait_up "http://127.0.0.1:$vport/api/health"
token=$(cat "$work/vigil/vigil-data/admin.token")
auth=(-H "Authorization: Bearer $token")
base_url="http://127.0.0.1:$bport/hello"
health_url="http://127.0.0.1:$vport/api/health"
info_url="http://127.0.0.1:$vport/api/info"

wrk -t2 -c"$CONNS" -d"$WARMUP" "$base_url" >/dev/null
wrk -t2 -c"$CONNS" -d"$WARMUP" "$health_url" >/dev/null
wrk -t2 -c"$CONNS" -d"$WARMUP" "${auth[@]}" "$info_url" >/dev/null

base_rps=(); base_p99=(); health_rps=(); health_p99=(); info_rps=(); info_p99=(); health_ratios=(); info_ratios=()
for _ in $(seq 1 "$ROUNDS"); do
  read -r b_rps b_p99 < <(wrk_run "$base_url")
  read -r h_rps h_p99 < <(wrk_run "$health_url")
  read -r i_rps i_p99 < <(wrk_run "$info_url" "${auth[@]}")
  base_rps+=("$b_rps"); base_p99+=("$b_p99"); health_rps+=("$h_rps"); health_p99+=("$h_p99")
  info_rps+=("$i_rps"); info_p99+=("$i_p99")
  health_ratios+=("$(awk -v v="$h_rps" -v b="$b_rps" 'BEGIN { printf "%.2f", v / b }')")
  info_ratios+=("$(awk -v v="$i_rps" -v b="$b_rps" 'BEGIN { printf "%.2f", v / b }')")
done
joined() { local IFS=,; echo "$*"; }
b=$(median "${base_rps[@]}"); bp=$(median "${base_p99[@]}")
line http.health "$(median "${health_rps[@]}")" "$b" "req/s" higher "p99_ms=$(median "${health_p99[@]}")" \
  "baseline_p99_ms=$bp" "round_ratios=$(joined "${health_ratios[@]}")" "rounds=$ROUNDS" "connections=$CONNS"
line http.info_authenticated "$(median "${info_rps[@]}")" "$b" "req/s" higher "p99_ms=$(median "${info_p99[@]}")" \
  "baseline_p99_ms=$bp" "round_ratios=$(joined "${info_ratios[@]}")" "rounds=$ROUNDS" "connections=$CONNS"
