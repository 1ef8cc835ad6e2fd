package dev.vigil.cache.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How the cache talks to Redis. Timeouts are short on purpose: a dead or paused Redis must cost a caller
 * at most {@code commandTimeout} once, after which the cache runs from memory until a probe finds Redis
 * back.
 *
 * @param endpoint where Redis is
 * @param commandTimeout longest wait for one command before Redis is taken as down
 * @param connectTimeout longest wait for a TCP connection
 * @param probeInterval how often a down Redis is probed, and how often the invalidation channel is re-verified
 * @param heartbeatInterval how often a healthy invalidation channel is checked with a round trip of its own
 */
public record RedisOptions(RedisEndpoint endpoint, Duration commandTimeout, Duration connectTimeout,
    Duration probeInterval, Duration heartbeatInterval) {

  /** Checks the fields. */
  public RedisOptions {
    Objects.requireNonNull(endpoint, "endpoint");
    positive("commandTimeout", commandTimeout);
    positive("connectTimeout", connectTimeout);
    positive("probeInterval", probeInterval);
    positive("heartbeatInterval", heartbeatInterval);
  }

  /** Defaults: 250 ms commands, 1 s connect, probe every 500 ms, heartbeat every 5 s. */
  public static RedisOptions of(RedisEndpoint endpoint) {
    return new RedisOptions(endpoint, Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMillis(500),
        Duration.ofSeconds(5));
  }

  /** Defaults for a URI in any form {@link RedisEndpoint#parse} accepts. */
  public static RedisOptions of(String uri) {
    return of(RedisEndpoint.parse(uri));
  }

  /** These options with another command timeout. */
  public RedisOptions withCommandTimeout(Duration timeout) {
    return new RedisOptions(endpoint, timeout, connectTimeout, probeInterval, heartbeatInterval);
  }

  /** These options with another probe interval. */
  public RedisOptions withProbeInterval(Duration interval) {
    return new RedisOptions(endpoint, commandTimeout, connectTimeout, interval, heartbeatInterval);
  }

  /** These options with another heartbeat interval. */
  public RedisOptions withHeartbeatInterval(Duration interval) {
    return new RedisOptions(endpoint, commandTimeout, connectTimeout, probeInterval, interval);
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("Redis " + name + " must be positive, got " + d);
    }
  }
}
