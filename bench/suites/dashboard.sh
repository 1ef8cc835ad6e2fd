#!/usr/bin/env bash
# dashboard suite: headless Debian Chromium loads the dashboard of a running Vigil (monitoring every 1 s)
# over loopback with the browser cache off; prints dashboard.first_render (navigation -> every panel
# filled, median of 10 loads) and dashboard.bytes (bytes transferred for a full load, gzip on).
# Baseline of both: the goal (1000 ms, 200 KB).
# BENCH_RUNS (default 10) sets the number of measured loads; BENCH_SETTLE seconds to wait after start-up.
set -euo pipefail
for p in chromium chromium-driver; do
  dpkg -s "$p" >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; break; }
done
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_up() { for _ in $(seq 1 120); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done; echo "not up: $1" >&2; exit 1; }

port=$(free_port)
mkdir -p "$work/vigil"
# a small SQLite database, so the backups panel has a database to show
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("create table t(id integer primary key, v text)"); c.executemany("insert into t(v) values (?)", [("x"*50,)]*1000); c.commit()' "$work/shop.db"
(cd "$work/vigil" && VIGIL_PORT=$port ENABLE_MONITORING=true MONITORING_INTERVAL=1s LOG_CONSOLE=false \
  DATABASE_URL="sqlite://$work/shop.db" ENABLE_BACKUP_SCHEDULER=false \
  exec java -Xmx512m -jar "$VIGIL_JAR" serve > "$work/vigil.log" 2>&1) &
pids+=($!)
wait_up "http://127.0.0.1:$port/api/health"
token=$(cat "$work/vigil/vigil-data/admin.token")
sleep "${BENCH_SETTLE:-0}"
java -Xmx512m -cp "$BENCH_JAR" dev.vigil.bench.dashboard.DashboardBench "http://127.0.0.1:$port" "$token" "${BENCH_RUNS:-10}"
