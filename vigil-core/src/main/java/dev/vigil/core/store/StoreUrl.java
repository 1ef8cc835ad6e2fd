package dev.vigil.core.store;

import java.net.URI;
import java.net.URLDecoder;
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

  /** Validates the parts. */
  public StoreUrl {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
  }

  /** SQLite in {@code dataDir/vigil.db}. */
  public static StoreUrl sqliteIn(Path dataDir) {
    return new StoreUrl(StateStore.Kind.SQLITE, "jdbc:sqlite:" + dataDir.resolve("vigil.db").toAbsolutePath(), null,
        null);
  }

  /**
   * Parses {@code postgresql://user:pass@host:port/db}, {@code jdbc:postgresql://…}, {@code sqlite:path}
   * or {@code jdbc:sqlite:path}.
   *
   * @throws IllegalArgumentException naming what is wrong, without the password
   */
  public static StoreUrl parse(String url) {
    String u = url.startsWith("jdbc:") ? url.substring(5) : url;
    if (u.startsWith("sqlite:")) {
      String path = u.substring("sqlite:".length());
      if (path.startsWith("///")) {
        path = path.substring(2);
      } else if (path.startsWith("//")) {
        throw new IllegalArgumentException("store url: use sqlite:relative/path or sqlite:///absolute/path");
      }
      return new StoreUrl(StateStore.Kind.SQLITE, "jdbc:sqlite:" + path, null, null);
    }
    if (u.startsWith("postgres://")) {
      u = "postgresql://" + u.substring("postgres://".length());
    }
    if (!u.startsWith("postgresql://")) {
      throw new IllegalArgumentException("store url: expected postgresql:// or sqlite:, got scheme of '"
          + u.split(":", 2)[0] + "'");
    }
    URI uri;
    try {
      uri = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("store url is not a valid URL: " + e.getMessage().replace(u, "<url>"));
    }
    if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty() && uri.getHost() == null) {
      throw new IllegalArgumentException("store url postgresql://…: cannot read user, host and port (a port must be "
          + "a number; percent-encode special characters in the user and password, e.g. '@' as %40)");
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("store url postgresql://" + host + ":" + port + ": the port must be 1-65535");
    }
    String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return new StoreUrl(StateStore.Kind.POSTGRESQL, "jdbc:postgresql://" + host + ":" + port + "/" + db + query, user,
        password);
  }

  /** Percent-decodes a user or password; a literal {@code +} stays a plus (URLDecoder would make it a space). */
  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The URL as it may be shown: no password. */
  @Override
  public String toString() {
    return kind + " " + jdbcUrl + (user == null ? "" : " as " + user);
  }
}
