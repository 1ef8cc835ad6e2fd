package dev.vigil.backup.engine;

import dev.vigil.core.url.DbUrl;
import dev.vigil.core.url.Secrets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A database to back up, read by core's one URL parser ({@link DbUrl}) from the forms
 * {@code postgresql://user:pass@host:port/db}, {@code mysql://…}, {@code mariadb://…},
 * {@code sqlite:///abs/path} and {@code sqlite:rel/path}; the scheme picks the {@link EngineKind}.
 * The password (in the user part or a {@code password} query parameter) is kept apart so it can be
 * handed to a tool through a 0600 file; {@link #toString()} never shows it.
 *
 * @param engine the engine
 * @param host server host ({@code null} for SQLite)
 * @param port server port ({@code 0} for SQLite)
 * @param user user name, or {@code null} for the engine's default
 * @param password password, or {@code null}; never print it
 * @param database database name (the file name for SQLite)
 * @param sqlitePath the database file for SQLite, else {@code null}
 * @param params PostgreSQL connection parameters from the query string (e.g. {@code sslmode})
 */
public record DatabaseUrl(EngineKind engine, String host, int port, String user, String password, String database,
    Path sqlitePath, Map<String, String> params) {

  /** Validates the parts. */
  public DatabaseUrl {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(database, "database");
    params = Map.copyOf(params);
    switch (engine) {
      case SQLITE -> Objects.requireNonNull(sqlitePath, "sqlitePath");
      case POSTGRESQL, MYSQL -> {
        Objects.requireNonNull(host, "host");
        if (database.isEmpty() || database.startsWith("-") || database.chars().anyMatch(c -> c < 0x20 || c == '/')) {
          throw new IllegalArgumentException("database url: invalid database name '" + database + "'");
        }
      }
    }
  }

  /**
   * Parses a database URL.
   *
   * @throws IllegalArgumentException naming what is wrong, without the password
   */
  public static DatabaseUrl parse(String url) {
    Objects.requireNonNull(url, "database url");
    DbUrl u = DbUrl.parse(url, "database url");
    EngineKind engine = EngineKind.ofScheme(u.scheme());
    return switch (engine) {
      case SQLITE -> {
        Path p = Path.of(u.database()).toAbsolutePath().normalize();
        Path fileName = p.getFileName();
        yield new DatabaseUrl(engine, null, 0, null, null, fileName == null ? p.toString() : fileName.toString(), p,
            Map.of());
      }
      case POSTGRESQL, MYSQL -> {
        String host = u.hostOrLoopback();
        int port = u.portOr(engine.defaultPort());
        if (u.database().isEmpty()) {
          throw new IllegalArgumentException("database url " + u.scheme() + "://" + host + ":" + port
              + " names no database (add /<database>)");
        }
        if (!u.params().isEmpty() && !engine.acceptsQueryParameters()) {
          throw new IllegalArgumentException("database url: query parameters are only supported for PostgreSQL");
        }
        for (String key : u.params().keySet()) {
          if (!key.matches("[a-z_]{1,40}")) {
            throw new IllegalArgumentException("database url: unsupported query parameter '" + key + "'");
          }
        }
        yield new DatabaseUrl(engine, host, port, u.user(), u.password(), u.database(), null, u.params());
      }
    };
  }

  /** The URL as it may be shown: the password replaced by {@value Secrets#MASK}. */
  public String redacted() {
    return switch (engine) {
      case SQLITE -> "sqlite:///" + sqlitePath.toString().replaceFirst("^/", "");
      case POSTGRESQL, MYSQL -> engine.schemes().get(0) + "://"
          + (user == null ? "" : user + (password == null ? "" : ":" + Secrets.MASK) + "@") + host + ":" + port + "/"
          + database;
    };
  }

  /** Same as {@link #redacted()}: a record's default would print the password. */
  @Override
  public String toString() {
    return redacted();
  }
}
