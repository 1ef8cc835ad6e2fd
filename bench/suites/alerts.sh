#!/usr/bin/env bash
# Alerting benchmarks. Prints BENCH lines (see bench/run).
#   alerts.eval_cpu         CPU of evaluating 1,000 rules once, as % of one core at a 1 s interval (goal <= 1 %)
#   alerts.fire_to_webhook  p99 seconds from a condition holding past `for` to the webhook receiving it
#                           (goal <= 1 s + group_wait; group_wait 1 s here)
#   alerts.queue            enqueue + complete per second on PostgreSQL: Vigil's JobQueue vs db-scheduler on the
#                           same database, 4 workers each, 3 alternating rounds, median (goal ratio >= 1)
# Optional args: [jobs per queue round (default 5000)] [all|eval|fire|queue (default all)]
set -euo pipefail
: "${BENCH_JAR:?run through ./bench/run alerts}"
work=$(mktemp -d /tmp/vigil-bench-alerts.XXXXXX)
trap 'rm -rf "$work"' EXIT
java -Xmx1g -cp "$BENCH_JAR" dev.vigil.bench.alert.AlertBench "$work" "$@"
