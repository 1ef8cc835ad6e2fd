package dev.vigil.core.url;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A database URL taken apart: {@code scheme://[user[:password]@]host[:port]/database[?k=v&...]},
 * {@code jdbc:} prefixed or not, and SQLite's {@code sqlite:relative/path} and
 * {@code sqlite:///absolute/path}. The one parser behind the state store URL and the backed-up
 * databases' URLs; each caller checks the scheme and parts it supports.
 *
 * <p>A password may come in the user part or as a {@code password} query parameter; it is kept apart
 * and never appears in {@link #toString()} or an error message. A raw {@code @} in the password is
 * read as part of it (the host starts after the last {@code @}).
 *
 * @param scheme lower-case scheme as written ({@code postgresql}, {@code postgres}, {@code mysql},
 *     {@code mariadb}, {@code sqlite}, ...)
 * @param user user name, or {@code null}
 * @param password password, or {@code null}; never print it
 * @param host host name, or {@code null} when absent (and for SQLite)
 * @param port port, or {@code -1} when absent
 * @param database the path without its leading slash (the database name), or the file path for SQLite
 * @param params query parameters other than {@code user} and {@code password}, decoded, in order
 */
public record DbUrl(String scheme, String user, String password, String host, int port, String database,
    Map<String, String> params) {

  /** Checks the parts and copies the parameters. */
  public DbUrl {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(database, "database");
    params = Map.copyOf(params);
  }

  /**
   * Parses {@code url}.
   *
   * @param what how the URL is named in errors, e.g. {@code "store url"}
   * @throws IllegalArgumentException naming what is wrong, never the password
   */
  public static DbUrl parse(String url, String what) {
    Objects.requireNonNull(url, what);
    String u = url.strip();
    if (u.startsWith("jdbc:")) {
      u = u.substring(5);
    }
    if (u.startsWith("sqlite:")) {
      String path = u.substring("sqlite:".length());
      if (path.startsWith("///")) {
        path = path.substring(2);
      } else if (path.startsWith("//")) {
        throw new IllegalArgumentException(what + ": use sqlite:relative/path or sqlite:///absolute/path");
      }
      if (path.isEmpty()) {
        throw new IllegalArgumentException(what + ": sqlite: needs a file path");
      }
      return new DbUrl("sqlite", null, null, null, -1, path, Map.of());
    }
    int schemeEnd = u.indexOf("://");
    if (schemeEnd <= 0) {
      throw new IllegalArgumentException(what + ": expected scheme://host/database or sqlite:path, got "
          + (u.indexOf(':') > 0 ? "scheme '" + u.substring(0, u.indexOf(':')) + "'" : "no scheme"));
    }
    String scheme = u.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    String rest = u.substring(schemeEnd + 3);
    int fragment = rest.indexOf('#');
    if (fragment >= 0) {
      rest = rest.substring(0, fragment);
    }
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    int at = rest.lastIndexOf('@');
    String userInfo = null;
    if (at >= 0) {
      userInfo = rest.substring(0, at);
      rest = rest.substring(at + 1);
    }
    int slash = rest.indexOf('/');
    String hostPort = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    String user = null;
    String password = null;
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), what);
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1), what);
      if (user.isEmpty()) {
        user = null;
      }
    }
    String host = hostPort;
    int port = -1;
    int portColon = hostPort.startsWith("[") ? hostPort.indexOf("]:") + 1 : hostPort.lastIndexOf(':');
    if (portColon > 0 || (portColon == 0 && !hostPort.startsWith("["))) {
      host = hostPort.substring(0, portColon);
      String digits = hostPort.substring(portColon + 1);
      if (!digits.matches("\\d{1,5}") || Integer.parseInt(digits) < 1 || Integer.parseInt(digits) > 65535) {
        throw new IllegalArgumentException(what + " " + scheme + "://" + host + ":" + digits
            + ": the port must be a number from 1 to 65535");
      }
      port = Integer.parseInt(digits);
    }
    if (host.chars().anyMatch(c -> c <= ' ' || c == '@' || c == '%' || c == '/' || c == '\\')) {
      throw new IllegalArgumentException(what + " " + scheme + "://…: cannot read the host name (percent-encode "
          + "special characters in the user and password, e.g. '/' as %2F)");
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (!query.isEmpty()) {
      for (String kv : query.split("&")) {
        if (kv.isEmpty()) {
          continue;
        }
        String[] p = kv.split("=", 2);
        String key = decode(p[0], what);
        String value = p.length > 1 ? decode(p[1], what) : "";
        switch (key) {
          case "password" -> password = value;
          case "user" -> user = value;
          default -> params.put(key, value);
        }
      }
    }
    return new DbUrl(scheme, user, password, host.isEmpty() ? null : host, port, decode(path, what), params);
  }

  /** Whether this is a SQLite file URL. */
  public boolean isSqlite() {
    return scheme.equals("sqlite");
  }

  /** The port, or {@code defaultPort} when the URL names none. */
  public int portOr(int defaultPort) {
    return port < 0 ? defaultPort : port;
  }

  /** The host, or {@code 127.0.0.1} when the URL names none. */
  public String hostOrLoopback() {
    return host == null ? "127.0.0.1" : host;
  }

  /** Percent-decodes; a literal {@code +} stays a plus (URLDecoder would make it a space). */
  private static String decode(String s, String what) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": a '%' must start a two-digit percent code such as %40");
    }
  }

  /** The URL as it may be shown: the password replaced by {@value Secrets#MASK}. */
  @Override
  public String toString() {
    if (isSqlite()) {
      return "sqlite:" + database;
    }
    String auth = user == null ? (password == null ? "" : ":" + Secrets.MASK + "@")
        : user + (password == null ? "" : ":" + Secrets.MASK) + "@";
    StringBuilder sb = new StringBuilder(scheme).append("://").append(auth).append(hostOrLoopback());
    if (port >= 0) {
      sb.append(':').append(port);
    }
    sb.append('/').append(database);
    if (!params.isEmpty()) {
      sb.append('?');
      params.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '?' ? "" : "&").append(k).append('=').append(v));
    }
    return sb.toString();
  }
}
