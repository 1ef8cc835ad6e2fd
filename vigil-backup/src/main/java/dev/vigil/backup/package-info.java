/**
 * Verified, rotated database backups with one-command restore .
 *
 * <p>Entry points: {@link dev.vigil.backup.DatabaseBackup} (one database: create, list, verify, restore,
 * delete, stats, retention), {@link dev.vigil.backup.BackupCatalog} (several named databases),
 * {@link dev.vigil.backup.schedule.BackupScheduler} (daily, every N hours, cron; missed runs; once per
 * fleet) and {@link dev.vigil.backup.checkpoint.RecoveryCheckpoints} (named sets of backups of all
 * databases, and rollback to them).
 *
 * <h2>Files</h2>
 * A backup directory holds, per backup, {@code <prefix>_YYYYMMDD_HHMMSS[_N]<format>[<compression>]}
 * and its manifest {@code <file>.json} (see {@link dev.vigil.backup.BackupName}):
 * <ul>
 *   <li>{@code .sql.gz}, {@code .sql.zst}, {@code .sql}: plain SQL (MySQL/MariaDB; PostgreSQL plain format);
 *       {@code backup_20251106_020000.sql.gz} is the documented name;</li>
 *   <li>{@code .dump}, {@code .dump.zst}: PostgreSQL custom archive, the PostgreSQL default; with gzip
 *       (the default) {@code pg_dump} compresses inside the archive and the file is named {@code .dump}
 *       (its manifest says {@code compression: gzip}); with zstd it is dumped with {@code -Z0} and
 *       compressed by Vigil ({@code .dump.zst}); {@code .dump} with {@code compression: none} is
 *       uncompressed. {@code .dump.gz} files are read too;</li>
 *   <li>{@code .sqlite.gz}, {@code .sqlite.zst}, {@code .sqlite}: a consistent copy of an SQLite file.</li>
 * </ul>
 * Prefixes: {@code backup} (scheduled and classic), any caller prefix such as {@code manual},
 * {@code safety} (taken before a restore) and {@code checkpoint}. Temp files start with a dot and
 * contain {@code .tmp-}; {@code .vigil-backup.lock} serializes writers; {@code .vigil/} holds the run
 * history when no shared state store is given; {@code checkpoints/} holds checkpoint files.
 * The database named {@code default} keeps its backups in the root directory, every other
 * database in {@code <root>/<name>/}.
 *
 * <h2>Guarantees</h2>
 * A file has a final name only after the dump tool exited 0 and the file was written in full, flushed,
 * checksummed and described by its manifest; a failure or a kill leaves a FAILED run in the state store
 * and no final-named file. Passwords never reach a child's argv or environment, a log line, a message
 * or a run record.
 */
package dev.vigil.backup;
