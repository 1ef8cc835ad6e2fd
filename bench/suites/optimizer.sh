#!/usr/bin/env bash
# Optimizer benchmarks on a real SQLite database and the real clock. Prints BENCH lines (see bench/run).
#   optimizer.validation_time  minutes from applying a helpful index to a kept/rolled-back decision
#                              (20 queries/s), vs Azure SQL automatic tuning's 30-minute minimum
#   optimizer.false_keep       % of repeated planted harmful indexes kept, vs a naive keep-if-mean-improved rule
#   optimizer.false_keep_neutral  the same for indexes that serve nothing the workload asks
#   optimizer.route_p95        p95 of the ERP Flask app's slow report route through Vigil's proxy (PostgreSQL,
#                              ERP workload) after one run at high (a proxy cache rule) vs before
# Optional args: [harmful rounds (default 10)]
set -euo pipefail
: "${BENCH_JAR:?run through ./bench/run optimizer}"
work=$(mktemp -d /tmp/vigil-bench-optimizer.XXXXXX)
trap 'rm -rf "$work"' EXIT
java -Xmx512m -cp "$BENCH_JAR" dev.vigil.bench.optimizer.OptimizerBench "$work" "$@"
if [ -x /usr/lib/postgresql/15/bin/initdb ] && /usr/bin/python3 -c 'import flask, psycopg2' 2>/dev/null; then
  java -Xmx512m -cp "$BENCH_JAR" dev.vigil.bench.optimizer.RouteP95Bench "$work"
else
  echo "optimizer.route_p95 skipped: it needs postgresql-15, python3-flask and python3-psycopg2" >&2
fi
