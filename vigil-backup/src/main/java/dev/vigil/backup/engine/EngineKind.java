package dev.vigil.backup.engine;

import java.util.List;
import java.util.Locale;

/**
 * The database engines Vigil backs up, and what each one is: its URL schemes, default port, the Debian
 * package and programs of its tools, and how a restore behaves. Code that differs per engine switches
 * over this enum exhaustively (no {@code default} branch), so a new engine does not compile until every
 * such place handles it. {@link #type()} is the documented {@code database_type}.
 */
public enum EngineKind {
  /** PostgreSQL, dumped with {@code pg_dump}; a restore runs in one transaction. */
  POSTGRESQL(List.of("postgresql", "postgres"), 5432, "postgresql-client", List.of("pg_dump"),
      List.of("pg_restore", "psql"), true),
  /** MySQL or MariaDB, dumped with {@code mariadb-dump} or {@code mysqldump}; a restore is not atomic. */
  MYSQL(List.of("mysql", "mariadb"), 3306, "mariadb-client", List.of("mariadb-dump", "mysqldump"),
      List.of("mariadb", "mysql"), false),
  /** SQLite, copied with the online backup API; a restore swaps the file whole. */
  SQLITE(List.of("sqlite"), 0, null, List.of(), List.of(), true);

  private final List<String> schemes;
  private final int defaultPort;
  private final String toolPackage;
  private final List<String> dumpTools;
  private final List<String> restoreTools;
  private final boolean atomicRestore;

  EngineKind(List<String> schemes, int defaultPort, String toolPackage, List<String> dumpTools,
      List<String> restoreTools, boolean atomicRestore) {
    this.schemes = schemes;
    this.defaultPort = defaultPort;
    this.toolPackage = toolPackage;
    this.dumpTools = dumpTools;
    this.restoreTools = restoreTools;
    this.atomicRestore = atomicRestore;
  }

  /**
   * The engine a URL scheme names.
   *
   * @throws IllegalArgumentException listing the accepted schemes
   */
  public static EngineKind ofScheme(String scheme) {
    for (EngineKind k : values()) {
      if (k.schemes.contains(scheme)) {
        return k;
      }
    }
    throw new IllegalArgumentException("database url: expected postgresql://, mysql://, mariadb:// or sqlite:, got "
        + (scheme == null || scheme.isEmpty() ? "no scheme" : "scheme '" + scheme + "'"));
  }

  /** Lower-case name as shown to users and stored in manifests: {@code postgresql}, {@code mysql}, {@code sqlite}. */
  public String type() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** URL schemes naming this engine; the first is the one shown. */
  public List<String> schemes() {
    return schemes;
  }

  /** The server's port when a URL names none ({@code 0} for SQLite, which has no server). */
  public int defaultPort() {
    return defaultPort;
  }

  /** The Debian package that installs the tools, or {@code null} when none are needed. */
  public String toolPackage() {
    return toolPackage;
  }

  /** Dump programs, first found wins. */
  public List<String> dumpTools() {
    return dumpTools;
  }

  /** Restore programs (PostgreSQL: {@code pg_restore} for archives, {@code psql} for plain SQL). */
  public List<String> restoreTools() {
    return restoreTools;
  }

  /**
   * Whether a failed restore leaves the database as it was. When not (MySQL), a failed restore puts the
   * safety backup back.
   */
  public boolean atomicRestore() {
    return atomicRestore;
  }

  /** Whether URLs of this engine may carry connection parameters in their query. */
  public boolean acceptsQueryParameters() {
    return switch (this) {
      case POSTGRESQL -> true;
      case MYSQL, SQLITE -> false;
    };
  }
}
