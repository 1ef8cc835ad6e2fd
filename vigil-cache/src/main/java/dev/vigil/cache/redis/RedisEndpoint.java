package dev.vigil.cache.redis;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where Redis is: one standalone server, a Sentinel-watched master, or a Cluster given by seed nodes.
 *
 * <p>Accepted forms: {@code redis://[user:password@]host[:port][/db]}, {@code rediss://...} (TLS),
 * {@code redis-sentinel://[password@]host:port[,host:port...][/db]#masterName} (Lettuce's syntax) and
 * {@code redis-cluster://[user:password@]host:port[,host:port...]} (Vigil's: each host is a seed node;
 * Cluster has only database 0). {@link #toString()} never shows the password.
 *
 * @param mode how to connect
 * @param uris the server, the Sentinel URI, or the cluster's seed nodes (one URI each)
 */
public record RedisEndpoint(Mode mode, List<RedisURI> uris) {
  /** How the servers are arranged. */
  public enum Mode {
    /** One server. */
    STANDALONE,
    /** A master found through Sentinel. */
    SENTINEL,
    /** A Redis Cluster. */
    CLUSTER;

    /** Lower-case name as shown in stats. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Checks the fields and copies the list. */
  public RedisEndpoint {
    Objects.requireNonNull(mode, "mode");
    if (uris == null || uris.isEmpty()) {
      throw new IllegalArgumentException("a Redis endpoint needs at least one URI");
    }
    if (mode != Mode.CLUSTER && uris.size() != 1) {
      throw new IllegalArgumentException(mode.label() + " Redis endpoint takes exactly one URI, got " + uris.size());
    }
    uris = List.copyOf(uris);
  }

  /** The host of a standalone Redis when none is configured. */
  public static final String DEFAULT_HOST = "localhost";
  /** Redis's own port. */
  public static final int DEFAULT_PORT = RedisURI.DEFAULT_REDIS_PORT;
  /** The logical database when none is configured. */
  public static final int DEFAULT_DATABASE = 0;

  /**
   * Parses a Redis URI in one of the accepted forms.
   *
   * @throws IllegalArgumentException naming the scheme or part that is wrong (never the password)
   */
  public static RedisEndpoint parse(String uri) {
    Objects.requireNonNull(uri, "uri");
    int schemeEnd = uri.indexOf("://");
    if (schemeEnd < 0) {
      throw new IllegalArgumentException("Redis URI has no scheme; expected redis://, rediss://, redis-sentinel:// "
          + "or redis-cluster://");
    }
    String scheme = uri.substring(0, schemeEnd);
    switch (scheme) {
      case "redis", "rediss" -> {
        return new RedisEndpoint(Mode.STANDALONE, List.of(lettuce(uri, scheme)));
      }
      case "redis-sentinel" -> {
        return new RedisEndpoint(Mode.SENTINEL, List.of(lettuce(uri, scheme)));
      }
      case "redis-cluster" -> {
        return new RedisEndpoint(Mode.CLUSTER, clusterSeeds(uri.substring(schemeEnd + 3)));
      }
      default -> throw new IllegalArgumentException("unsupported Redis URI scheme '" + scheme
          + "'; expected redis, rediss, redis-sentinel or redis-cluster");
    }
  }

  /**
   * The seed's settings ({@code REDIS_HOST, REDIS_PORT, REDIS_DB, REDIS_PASSWORD}) as a standalone endpoint.
   *
   * @param password null or empty for none
   */
  public static RedisEndpoint standalone(String host, int port, int database, String password) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("Redis host must not be blank");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("Redis port must be within 1..65535, got " + port);
    }
    if (database < 0) {
      throw new IllegalArgumentException("Redis database must be >= 0, got " + database);
    }
    RedisURI.Builder b = RedisURI.builder().withHost(host).withPort(port).withDatabase(database);
    if (password != null && !password.isEmpty()) {
      b.withPassword(password.toCharArray());
    }
    return new RedisEndpoint(Mode.STANDALONE, List.of(b.build()));
  }

  private static RedisURI lettuce(String uri, String scheme) {
    if (!scheme.equals("redis-sentinel") && unreadableAuthority(uri)) {
      throw new IllegalArgumentException(scheme + ":// URI: cannot read user, host and port (a port must be a "
          + "number; percent-encode special characters in the user and password, e.g. '@' as %40)");
    }
    try {
      return RedisURI.create(uri);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed " + scheme + ":// URI (" + e.getMessage().replaceAll("//[^@/]*@", "//***@")
          + ")", null);
    }
  }

  /**
   * Whether {@code uri} has an authority that is not {@code [user[:password]@]host[:port]}: Lettuce would
   * take such text (an unencoded '@' in the password, a port that is no number) for the host name.
   */
  private static boolean unreadableAuthority(String uri) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      return false;
    }
    return parsed.getRawAuthority() != null && !parsed.getRawAuthority().isEmpty() && parsed.getHost() == null;
  }

  private static List<RedisURI> clusterSeeds(String rest) {
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String userInfo = "";
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      userInfo = authority.substring(0, at + 1);
      authority = authority.substring(at + 1);
    }
    if (authority.isBlank()) {
      throw new IllegalArgumentException("redis-cluster:// URI names no host");
    }
    List<RedisURI> seeds = new ArrayList<>();
    for (String hostPort : authority.split(",")) {
      if (hostPort.isBlank()) {
        throw new IllegalArgumentException("redis-cluster:// URI has an empty host in its list");
      }
      seeds.add(lettuce("redis://" + userInfo + hostPort.trim(), "redis-cluster"));
    }
    return seeds;
  }

  /** The hosts and mode, without credentials. */
  @Override
  public String toString() {
    if (mode == Mode.SENTINEL) {
      RedisURI u = uris.get(0);
      return mode.label() + "[" + u.getSentinels().stream().map(x -> x.getHost() + ":" + x.getPort())
          .collect(Collectors.joining(",")) + "/" + u.getDatabase() + "#" + u.getSentinelMasterId() + "]";
    }
    return mode.label() + "[" + uris.stream().map(u -> u.getHost() + ":" + u.getPort()
        + (mode == Mode.CLUSTER ? "" : "/" + u.getDatabase())).collect(Collectors.joining(",")) + "]";
  }
}
