#!/usr/bin/env bash
# Monitoring benchmarks (issue 3). Prints BENCH lines (see bench/run).
#   monitor.processes  p95 latency of Vigil's top-10 process listing vs OSHI's full getProcesses(), same JVM.
#   monitor.overhead / monitor.rss need the running server ($VIGIL_JAR) and are added by the server's owner.
set -euo pipefail
: "${BENCH_JAR:?run through ./bench/run monitor}"
java -Xmx256m -cp "$BENCH_JAR" dev.vigil.bench.monitor.ProcessListingBench "${MONITOR_PROCESS_CALLS:-300}" 50
