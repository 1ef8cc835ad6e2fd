package dev.vigil.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Token buckets per client IP and per API token: a sustained rate with bursts of twice that. Idle
 * buckets are forgotten after ten minutes, so memory stays bounded whatever the number of clients.
 */
public final class RateLimiter {
  private final boolean enabled;
  private final int perIp;
  private final int perToken;
  private final int expensivePerSecond;
  // maintenance runs on the calling thread: cheap, and no hand-off to the common pool on a hot path
  private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
      .maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).executor(Runnable::run).build();

  /**
   * Creates the limiter.
   *
   * @param enabled false lets everything through
   * @param perIp requests per second per client IP
   * @param perToken requests per second per token
   */
  public RateLimiter(boolean enabled, int perIp, int perToken) {
    this(enabled, perIp, perToken, DEFAULT_EXPENSIVE_PER_SECOND);
  }

  /** Cost units of expensive routes per second per caller when not configured. */
  public static final int DEFAULT_EXPENSIVE_PER_SECOND = 10;

  /**
   * Creates the limiter.
   *
   * @param enabled false lets everything through
   * @param perIp requests per second per client IP
   * @param perToken requests per second per token
   * @param expensivePerSecond cost units of expensive routes per second per caller ({@link RouteCost})
   */
  public RateLimiter(boolean enabled, int perIp, int perToken, int expensivePerSecond) {
    if (perIp < 1 || perToken < 1 || expensivePerSecond < 1) {
      throw new IllegalArgumentException("rate limits must be at least 1 per second");
    }
    this.enabled = enabled;
    this.perIp = perIp;
    this.perToken = perToken;
    this.expensivePerSecond = expensivePerSecond;
  }

  /** Takes one request from the IP's bucket; the wait in seconds when it is empty. */
  public OptionalLong tryIp(String ip) {
    return take("ip:" + ip, perIp);
  }

  /** Takes one request from the token's bucket; the wait in seconds when it is empty. */
  public OptionalLong tryToken(String tokenId) {
    return take("token:" + tokenId, perToken);
  }

  /**
   * Takes {@code cost} units from the caller's bucket of expensive routes (a separate budget, so cheap
   * requests cannot pay for expensive ones); the wait in seconds when it has too few.
   *
   * @param caller {@code token:<id>} or {@code ip:<address>}
   */
  public OptionalLong tryExpensive(String caller, int cost) {
    return take("expensive:" + caller, expensivePerSecond, Math.min(cost, 2L * expensivePerSecond));
  }

  private OptionalLong take(String key, int rate) {
    return take(key, rate, 1);
  }

  private OptionalLong take(String key, int rate, long cost) {
    if (!enabled) {
      return OptionalLong.empty();
    }
    Bucket bucket = buckets.get(key, k -> Bucket.builder()
        .addLimit(limit -> limit.capacity(2L * rate).refillGreedy(rate, Duration.ofSeconds(1)))
        .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(cost);
    if (probe.isConsumed()) {
      return OptionalLong.empty();
    }
    long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    return OptionalLong.of(seconds);
  }
}
