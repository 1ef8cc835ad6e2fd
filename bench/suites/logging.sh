#!/usr/bin/env bash
# Logging benchmarks. Prints BENCH lines (see bench/run).
#   logging.json  events/s as JSON into rotating files: LoggingSetup vs Logback + logstash-logback-encoder by hand
#   audit.append, audit.verify  the audit trail (run by bench/suites/audit.sh, also runnable alone)
# Each driver is a main class of vigil-bench run in its own JVM; add further drivers to the list.
set -euo pipefail
: "${BENCH_JAR:?run through ./bench/run logging}"
drivers=(
  "dev.vigil.bench.logging.LoggingBench ${LOGGING_BENCH_THREADS:-4} ${LOGGING_BENCH_EVENTS:-400000}"
)
for driver in "${drivers[@]}"; do
  # shellcheck disable=SC2086 # a driver entry is "<main class> [args...]"
  java -Xmx1g -cp "$BENCH_JAR" $driver
done
bash "$(dirname "$0")/audit.sh"
