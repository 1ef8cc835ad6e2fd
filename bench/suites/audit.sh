#!/usr/bin/env bash
# Audit trail benchmarks. Prints BENCH lines (see bench/run).
#   audit.append  durable chained events/s, 8 threads with appends in flight (group fsync) vs a plain
#                 FileChannel write+force per event from 8 threads
#   audit.verify  seconds to verify 1M records (hashes, links, keyed checkpoints, index) vs sha256sum of the files
# Optional args: [records to verify (default 1000000)] [append seconds (default 5)]
set -euo pipefail
: "${BENCH_JAR:?run through ./bench/run audit}"
work=$(mktemp -d /tmp/vigil-bench-audit.XXXXXX)
trap 'rm -rf "$work"' EXIT
java -Xmx1g -cp "$BENCH_JAR" dev.vigil.bench.audit.AuditBench "$work" "$@"
