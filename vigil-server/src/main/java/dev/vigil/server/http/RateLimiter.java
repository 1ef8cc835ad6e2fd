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
    if (perIp < 1 || perToken < 1) {
      throw new IllegalArgumentException("rate limits must be at least 1 per second");
    }
    this.enabled = enabled;
    this.perIp = perIp;
    this.perToken = perToken;
  }

  /** Takes one request from the IP's bucket; the wait in seconds when it is empty. */
  public OptionalLong tryIp(String ip) {
    return take("ip:" + ip, perIp);
  }

  /** Takes one request from the token's bucket; the wait in seconds when it is empty. */
  public OptionalLong tryToken(String tokenId) {
    return take("token:" + tokenId, perToken);
  }

  private OptionalLong take(String key, int rate) {
    if (!enabled) {
      return OptionalLong.empty();
    }
    Bucket bucket = buckets.get(key, k -> Bucket.builder()
        .addLimit(limit -> limit.capacity(2L * rate).refillGreedy(rate, Duration.ofSeconds(1)))
        .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return OptionalLong.empty();
    }
    long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    return OptionalLong.of(seconds);
  }
}
