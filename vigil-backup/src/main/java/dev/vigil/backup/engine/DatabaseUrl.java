package dev.vigil.backup.engine;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A database to back up, parsed from the seed's URL forms: {@code postgresql://user:pass@host:port/db},
 * {@code mysql://…}, {@code mariadb://…}, {@code sqlite:///abs/path} and {@code sqlite:rel/path}.
 * The password is kept apart so it can be handed to a tool through a 0600 file; {@link #toString()}
 * never shows it.
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
public record DatabaseUrl(Engine engine, String host, int port, String user, String password, String database,
    Path sqlitePath, Map<String, String> params) {

  /** Validates the parts. */
  public DatabaseUrl {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(database, "database");
    params = Map.copyOf(params);
    if (engine == Engine.SQLITE) {
      Objects.requireNonNull(sqlitePath, "sqlitePath");
    } else {
      Objects.requireNonNull(host, "host");
      if (database.isEmpty() || database.startsWith("-") || database.chars().anyMatch(c -> c < 0x20 || c == '/')) {
        throw new IllegalArgumentException("database url: invalid database name '" + database + "'");
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
    String u = url.strip();
    if (u.startsWith("jdbc:")) {
      u = u.substring(5);
    }
    if (u.startsWith("sqlite:")) {
      return sqlite(u.substring("sqlite:".length()));
    }
    int colon = u.indexOf("://");
    String scheme = colon < 0 ? "" : u.substring(0, colon);
    Engine engine;
    int defaultPort;
    switch (scheme) {
      case "postgresql", "postgres" -> {
        engine = Engine.POSTGRESQL;
        defaultPort = 5432;
      }
      case "mysql", "mariadb" -> {
        engine = Engine.MYSQL;
        defaultPort = 3306;
      }
      default -> throw new IllegalArgumentException("database url: expected postgresql://, mysql://, mariadb:// or "
          + "sqlite:, got " + (scheme.isEmpty() ? "no scheme" : "scheme '" + scheme + "'"));
    }
    URI uri;
    try {
      uri = new URI(u);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("database url is not a valid URL (" + e.getReason() + ")");
    }
    if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty() && uri.getHost() == null) {
      throw new IllegalArgumentException("database url " + scheme + "://…: cannot read user, host and port (a port "
          + "must be a number; percent-encode special characters in the user and password, e.g. '@' as %40)");
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    String host = uri.getHost() == null || uri.getHost().isEmpty() ? "127.0.0.1" : uri.getHost();
    int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("database url " + scheme + "://" + host + ":" + port
          + ": the port must be 1-65535");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.length() <= 1) {
      throw new IllegalArgumentException("database url " + scheme + "://" + host + ":" + port
          + " names no database (add /<database>)");
    }
    String database = decode(path.substring(1));
    Map<String, String> params = new LinkedHashMap<>();
    if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
      if (engine != Engine.POSTGRESQL) {
        throw new IllegalArgumentException("database url: query parameters are only supported for PostgreSQL");
      }
      for (String kv : uri.getRawQuery().split("&")) {
        String[] p = kv.split("=", 2);
        String key = decode(p[0]);
        if (!key.matches("[a-z_]{1,40}") || key.equals("password") || key.equals("user")) {
          throw new IllegalArgumentException("database url: unsupported query parameter '" + key + "'");
        }
        params.put(key, p.length > 1 ? decode(p[1]) : "");
      }
    }
    return new DatabaseUrl(engine, host, port, user, password, database, null, params);
  }

  private static DatabaseUrl sqlite(String rest) {
    String path;
    if (rest.startsWith("///")) {
      path = rest.substring(2);
    } else if (rest.startsWith("//")) {
      throw new IllegalArgumentException("database url: use sqlite:relative/path or sqlite:///absolute/path");
    } else {
      path = rest;
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException("database url: sqlite: needs a file path");
    }
    Path p = Path.of(path).toAbsolutePath().normalize();
    Path fileName = p.getFileName();
    return new DatabaseUrl(Engine.SQLITE, null, 0, null, null, fileName == null ? p.toString() : fileName.toString(), p,
        Map.of());
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The URL as it may be shown: the password replaced by {@code ***}. */
  public String redacted() {
    if (engine == Engine.SQLITE) {
      return "sqlite:///" + sqlitePath.toString().replaceFirst("^/", "");
    }
    String scheme = engine == Engine.POSTGRESQL ? "postgresql" : "mysql";
    String auth = user == null ? "" : user + (password == null ? "" : ":***") + "@";
    return scheme + "://" + auth + host + ":" + port + "/" + database;
  }

  /** Same as {@link #redacted()}: a record's default would print the password. */
  @Override
  public String toString() {
    return redacted();
  }
}
