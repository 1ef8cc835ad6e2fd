package dev.vigil.core.store;

import dev.vigil.core.url.DbUrl;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the state store lives, parsed from {@code store.url}: SQLite by file path, or PostgreSQL
 * with credentials kept apart from the JDBC URL so they never reach a log line.
 *
 * @param kind the engine
 * @param jdbcUrl JDBC URL without credentials
 * @param user user name, or {@code null}
 * @param password password, or {@code null}; never print it
 */
public record StoreUrl(StateStore.Kind kind, String jdbcUrl, String user, String password) {

  /** The SQLite store's file name in the data dir. */
  public static final String SQLITE_FILE = "vigil.db";

  /** Validates the parts. */
  public StoreUrl {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
  }

  /** SQLite in {@code dataDir/vigil.db}. */
  public static StoreUrl sqliteIn(Path dataDir) {
    return new StoreUrl(StateStore.Kind.SQLITE, "jdbc:sqlite:" + dataDir.resolve(SQLITE_FILE).toAbsolutePath(), null,
        null);
  }

  /**
   * Parses {@code postgresql://user:pass@host:port/db}, {@code jdbc:postgresql://…}, {@code sqlite:path}
   * or {@code jdbc:sqlite:path}.
   *
   * @throws IllegalArgumentException naming what is wrong, without the password
   */
  public static StoreUrl parse(String url) {
    DbUrl u = DbUrl.parse(url, "store url");
    switch (u.scheme()) {
      case "sqlite" -> {
        return new StoreUrl(StateStore.Kind.SQLITE, "jdbc:sqlite:" + u.database(), null, null);
      }
      case "postgresql", "postgres" -> {
        String db = u.database().isEmpty() ? "postgres" : u.database();
        StringBuilder query = new StringBuilder();
        u.params().forEach((k, v) -> query.append(query.length() == 0 ? '?' : '&').append(encode(k)).append('=')
            .append(encode(v)));
        return new StoreUrl(StateStore.Kind.POSTGRESQL, "jdbc:postgresql://" + u.hostOrLoopback() + ":"
            + u.portOr(5432) + "/" + encode(db) + query, u.user(), u.password());
      }
      default -> throw new IllegalArgumentException("store url: expected postgresql:// or sqlite:, got scheme of '"
          + u.scheme() + "'");
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * The database file of a SQLite store, absolute; null for PostgreSQL and for an in-memory or
   * {@code file:} URI SQLite database.
   */
  public Path sqliteFile() {
    if (kind != StateStore.Kind.SQLITE) {
      return null;
    }
    String path = jdbcUrl.substring("jdbc:sqlite:".length());
    int query = path.indexOf('?');
    path = query >= 0 ? path.substring(0, query) : path;
    if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) {
      return null;
    }
    return Path.of(path).toAbsolutePath();
  }

  /** The URL as it may be shown: no password. */
  @Override
  public String toString() {
    return kind + " " + jdbcUrl + (user == null ? "" : " as " + user);
  }
}
