#!/usr/bin/env bash
# Backup suite: Vigil vs pg_dump|gzip, pg_dump -Fc and sqlite3 .backup on databases it creates and drops.
# Needs PostgreSQL on 127.0.0.1:5432 (trust, user postgres), pgbench, pg_dump, sqlite3.
# Optional args: [pgbench scale (default 20)] [sqlite MB (default 500)] [rounds (default 2)]
set -euo pipefail
work=$(mktemp -d /tmp/vigil-bench-backup.XXXXXX)
trap 'rm -rf "$work"' EXIT
for tool in pgbench pg_dump sqlite3 gzip; do
  command -v "$tool" >/dev/null || { echo "backup suite needs $tool (apt: postgresql-client / postgresql-contrib, sqlite3, gzip)" >&2; exit 2; }
done
java -Xmx1g -cp "$BENCH_JAR" dev.vigil.bench.backup.BackupBench "$work" "$@"
