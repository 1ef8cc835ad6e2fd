package dev.vigil.backup.engine;

import java.util.Locale;

/** The database engines Vigil backs up; {@link #type()} is the seed's {@code database_type}. */
public enum Engine {
  /** PostgreSQL, dumped with {@code pg_dump}. */
  POSTGRESQL,
  /** MySQL or MariaDB, dumped with {@code mariadb-dump} or {@code mysqldump}. */
  MYSQL,
  /** SQLite, copied with the online backup API. */
  SQLITE;

  /** Lower-case name as shown to users and stored in manifests: {@code postgresql}, {@code mysql}, {@code sqlite}. */
  public String type() {
    return name().toLowerCase(Locale.ROOT);
  }
}
