package dev.vigil.backup.engine;

import dev.vigil.backup.compress.Compression;
import dev.vigil.backup.jobs.JobSettings;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SortedMap;

/**
 * One database engine's way to dump, restore and test-restore a database. Implementations:
 * {@link PostgresEngine} ({@code pg_dump}), {@link MysqlEngine} ({@code mariadb-dump}/{@code mysqldump}),
 * {@link SqliteEngine} (online backup API). Every method throws {@link dev.vigil.backup.BackupException}
 * with the database and the reason, never a password.
 */
public interface DumpEngine {

  /**
   * Creates an engine for checks only ({@link #preflight()}, {@link #exists()}): it has no folder for
   * credential files, so a dump or restore of a database with a password fails saying so.
   */
  static DumpEngine create(DatabaseUrl url, Tools tools, DumpFormat pgFormat) {
    return create(url, tools, pgFormat, null, null, Clock.systemUTC(), new JobSettings());
  }

  /**
   * Creates the engine for {@code url}.
   *
   * @param pgFormat PostgreSQL's custom or plain format
   * @param credentialsDir the private folder for credential files handed to the tools
   * @param verifyUrl the server that hosts scratch databases of test restores, or {@code null} for the
   *     database's own server
   * @param clock stamps scratch database names, so leftovers of interrupted test restores can be told apart
   * @param jobs the priority dumps and test restores run at and the level of the compression a tool applies
   */
  static DumpEngine create(DatabaseUrl url, Tools tools, DumpFormat pgFormat, Path credentialsDir,
      DatabaseUrl verifyUrl, Clock clock, JobSettings jobs) {
    if (verifyUrl != null && verifyUrl.engine() != url.engine()) {
      throw new IllegalArgumentException("verify url " + verifyUrl + " is a " + verifyUrl.engine().type()
          + " server; backups of " + url + " need a " + url.engine().type() + " server to test-restore into");
    }
    return switch (url.engine()) {
      case POSTGRESQL -> new PostgresEngine(url, tools, pgFormat, credentialsDir, verifyUrl, clock, jobs);
      case MYSQL -> new MysqlEngine(url, tools, credentialsDir, verifyUrl, clock, jobs);
      case SQLITE -> new SqliteEngine(url);
    };
  }

  /** The database. */
  DatabaseUrl url();

  /** The format new backups are written in. */
  DumpFormat format();

  /**
   * Whether the dump tool applies {@code compression} itself, in the archive (PostgreSQL's custom
   * format with gzip): then Vigil writes the archive as it comes, and on two cores this is faster
   * than piping an uncompressed dump through the JVM's compressor.
   */
  default boolean compressesItself(Compression compression) {
    return false;
  }

  /**
   * Checks that a dump can start (tools present, server reachable, {@code pg_dump} not older than the
   * server) and returns the tool and server versions for the manifest and the data size.
   */
  Preflight preflight();

  /** Whether the database exists (a restore creates it when not). */
  boolean exists();

  /** Writes a consistent dump to {@code sink} and returns row counts from the same snapshot. */
  DumpResult dump(DumpSink sink);

  /**
   * Replaces the database's content with the dump read from {@code raw} (already decompressed),
   * atomically where the engine allows.
   */
  void restore(InputStream raw, DumpFormat format);

  /**
   * Restores {@code raw} into a scratch database (or a temp file in {@code workDir} for SQLite),
   * checks it, counts its rows per table and removes the scratch copy.
   */
  SortedMap<String, Long> testRestore(InputStream raw, DumpFormat format, Path workDir);
}
