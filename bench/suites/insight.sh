#!/usr/bin/env bash
# Insight suite: an own PostgreSQL 15 (initdb on a free port, pg_stat_statements preloaded, HypoPG),
# the ERP workload (1 M orders) driven by pgbench with eight planted problems.
#   insight.planted  problems Vigil reports vs a PgHero-style catalog-only check
#   insight.speedup  mean time of the planted shapes with the advised indexes vs without (3 alternating rounds)
#   insight.overhead share of the database's time a snapshot costs at a 1-minute interval vs the 1 % budget
# Optional args: [orders (default 1000000)] [pgbench seconds per run (default 6)]
set -euo pipefail
for tool in /usr/lib/postgresql/15/bin/initdb /usr/lib/postgresql/15/bin/pgbench; do
  [ -x "$tool" ] || { echo "insight suite needs $tool (apt: postgresql-15, postgresql-contrib)" >&2; exit 2; }
done
[ -f /usr/share/postgresql/15/extension/hypopg.control ] || { echo "insight suite needs postgresql-15-hypopg" >&2; exit 2; }
java -Xmx1g -cp "$BENCH_JAR" dev.vigil.bench.insight.InsightBench "$@"
