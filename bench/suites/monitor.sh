#!/usr/bin/env bash
# Monitoring benchmarks. Prints BENCH lines (see bench/run). About 8 minutes in all.
#   monitor.processes  p95 latency of Vigil's top-10 process listing vs OSHI's full getProcesses(), same JVM.
#   monitor.overhead   CPU of the idle server sampling every 1 s with the process list fetched every 5 s,
#                      over 60 s after a warm-up, from /proc/<pid>/stat, as % of one core. Baseline: Netdata's
#                      published 1 % (the goal); the same server with monitoring off runs beside it and is
#                      printed as monitoring_off (so monitoring_cost = vigil - monitoring_off).
#   monitor.idle_cpu   CPU of the idle server sampling every 1 s (nothing polling it) with the JVM's default
#                      options, over 60 s after a 180 s warm-up (the JIT has compiled the sampling path by then),
#                      % of one core; goal 1 %. The same server with monitoring off runs beside it.
#   monitor.rss        VmRSS of the server holding a full hour of 1 s history (3600 real readings filled by
#                      the ServerRssBench hook) vs the same server with monitoring off, at the documented heap.
# Knobs: MONITOR_PROCESS_CALLS (300), MONITOR_WINDOW seconds (60), MONITOR_WARMUP seconds (20),
#        MONITOR_IDLE_WARMUP seconds (180: the JIT is still compiling the once-a-second paths in the first minutes),
#        VIGIL_HEAP (the documented small-host JVM options, README "Monitoring").
set -euo pipefail
: "${BENCH_JAR:?run through ./bench/run monitor}"
: "${VIGIL_JAR:?run through ./bench/run monitor}"
WINDOW=${MONITOR_WINDOW:-60}
WARMUP=${MONITOR_WARMUP:-20}
HEAP=${VIGIL_HEAP:--Xmx96m -Xms24m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=40 -XX:+UseSerialGC -XX:TieredStopAtLevel=1}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
line() { java -cp "$BENCH_JAR" dev.vigil.bench.BenchLine "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_up() { for _ in $(seq 1 120); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done; echo "not up: $1" >&2; exit 1; }
# cpu_ticks PID -> utime+stime of the process (fields 14 and 15 of /proc/PID/stat, after the command name)
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

# --- monitor.processes
java -Xmx256m -cp "$BENCH_JAR" dev.vigil.bench.monitor.ProcessListingBench "${MONITOR_PROCESS_CALLS:-300}" 50

# --- monitor.overhead: two idle servers side by side, monitoring on (1 s) and off, same load
start_server() { # name enabled [jvm options] -> pid in pids, port in $work/<name>.port
  local name=$1 enabled=$2 jvm=${3-$HEAP} port
  port=$(free_port)
  mkdir -p "$work/$name"
  (cd "$work/$name" && VIGIL_PORT=$port ENABLE_MONITORING=$enabled MONITORING_INTERVAL=1s LOG_CONSOLE=false \
    LOG_DIR="$work/$name/logs" exec java $jvm -jar "$VIGIL_JAR" serve > "$work/$name.log" 2>&1) &
  pids+=($!)
  echo "$port" > "$work/$name.port"
  echo $! > "$work/$name.pid"
}
start_server on true
start_server off false
for name in on off; do wait_up "http://127.0.0.1:$(cat "$work/$name.port")/api/health"; done
poll_processes() { # name: GET /api/monitoring/processes every 5 s (the dashboard's process list)
  local port token
  port=$(cat "$work/$1.port"); token=$(cat "$work/$1/vigil-data/admin.token")
  while true; do
    curl -s -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/monitoring/processes?top=10"
    sleep 5
  done
}
poll_processes on & pids+=($!)
poll_processes off & pids+=($!)
sleep "$WARMUP"
hz=$(getconf CLK_TCK)
on_pid=$(cat "$work/on.pid"); off_pid=$(cat "$work/off.pid")
on0=$(cpu_ticks "$on_pid"); off0=$(cpu_ticks "$off_pid"); t0=$(date +%s.%N)
sleep "$WINDOW"
on1=$(cpu_ticks "$on_pid"); off1=$(cpu_ticks "$off_pid"); t1=$(date +%s.%N)
read -r on_pct off_pct < <(awk -v a="$on0" -v b="$on1" -v c="$off0" -v d="$off1" -v hz="$hz" -v t0="$t0" -v t1="$t1" \
  'BEGIN { s = t1 - t0; printf "%.3f %.3f\n", 100 * (b - a) / hz / s, 100 * (d - c) / hz / s }')
samples=$(curl -s -H "Authorization: Bearer $(cat "$work/on/vigil-data/admin.token")" \
  "http://127.0.0.1:$(cat "$work/on.port")/api/monitoring/summary?last=3600" | sed 's/.*"readings":\([0-9]*\).*/\1/')
cost=$(awk -v a="$on_pct" -v b="$off_pct" 'BEGIN { printf "%.3f", a - b }')
line monitor.overhead "$on_pct" 1.0 "%core" lower "baseline_is=netdata_published_1pct" "monitoring_off=${off_pct}%core" \
  "monitoring_cost=${cost}%core" "interval=1s" "process_list_every=5s" "window=${WINDOW}s" "samples=$samples" "jvm=${HEAP// /,}"
for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
wait 2>/dev/null || true
pids=()

# --- monitor.idle_cpu: two idle servers with the JVM's default options, monitoring on (1 s) and off
start_server idle_on true ""
start_server idle_off false ""
for name in idle_on idle_off; do wait_up "http://127.0.0.1:$(cat "$work/$name.port")/api/health"; done
sleep "${MONITOR_IDLE_WARMUP:-180}"
on_pid=$(cat "$work/idle_on.pid"); off_pid=$(cat "$work/idle_off.pid")
on0=$(cpu_ticks "$on_pid"); off0=$(cpu_ticks "$off_pid"); t0=$(date +%s.%N)
sleep "$WINDOW"
on1=$(cpu_ticks "$on_pid"); off1=$(cpu_ticks "$off_pid"); t1=$(date +%s.%N)
read -r on_pct off_pct < <(awk -v a="$on0" -v b="$on1" -v c="$off0" -v d="$off1" -v hz="$hz" -v t0="$t0" -v t1="$t1" \
  'BEGIN { s = t1 - t0; printf "%.3f %.3f\n", 100 * (b - a) / hz / s, 100 * (d - c) / hz / s }')
line monitor.idle_cpu "$on_pct" 1.0 "%core" lower "baseline_is=goal_1pct" "monitoring_off=${off_pct}%core" \
  "interval=1s" "warmup=${MONITOR_IDLE_WARMUP:-180}s" "window=${WINDOW}s" "jvm=default"
for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
wait 2>/dev/null || true
pids=()

# --- monitor.rss: the server with a full hour of 1 s history vs monitoring off, one after the other
rss_of() { java $HEAP -cp "$BENCH_JAR:$VIGIL_JAR" dev.vigil.bench.monitor.ServerRssBench "$1" 3600 2>"$work/rss-$1.log" | grep '^RSS_KB=' \
  | sed 's/RSS_KB=\([0-9]*\) SAMPLES=\([0-9]*\) HEAP_LIVE_KB=\([0-9]*\)/\1 \2 \3/'; }
read -r on_rss on_samples on_live < <(rss_of on)
read -r off_rss _ off_live < <(rss_of off)
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
line monitor.rss "$(mb "$on_rss")" "$(mb "$off_rss")" "MB" lower "history_samples=$on_samples" "goal=150MB" \
  "live_heap=$(mb "$on_live")MB" "baseline_live_heap=$(mb "$off_live")MB" "jvm=${HEAP// /,}" \
  "baseline_is=same_server_monitoring_off"
