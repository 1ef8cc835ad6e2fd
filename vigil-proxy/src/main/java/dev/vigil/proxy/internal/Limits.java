package dev.vigil.proxy.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limit.WindowedLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.vigil.proxy.ProxyConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load-adaptive admission towards the upstream: a concurrency limit that follows the upstream's
 * latency (TCP-Vegas style: the limit shrinks when requests queue, i.e. when latency rises above the
 * no-load latency) and a per-client token bucket.
 */
public final class Limits {
  private final SimpleLimiter<Void> limiter;
  private final Cache<String, Bucket> buckets;
  private final double ratePerSecond;
  private final int burst;
  private final LongAdder rejected = new LongAdder();

  /** Limits per the configuration. */
  public Limits(ProxyConfig config) {
    int min = config.minConcurrency();
    VegasLimit limit = VegasLimit.newBuilder()
        .initialLimit(config.initialConcurrency())
        .maxConcurrency(config.maxConcurrency())
        // queue allowance proportional to the limit: latency may rise to about 1.4x the no-load latency
        .alpha(l -> Math.max(1, l / 10))
        .beta(l -> Math.max(2, (int) (l * 0.3)))
        .threshold(l -> Math.max(1, l / 20))
        .increase(l -> l + Math.max(1, l / 10))
        .decrease(l -> Math.max(min, l - Math.max(1, l / 5)))
        .build();
    // one update per window of the window's mean latency instead of one per request: single slow answers
    // do not move the limit, and the no-load latency is re-probed every 30 windows times the limit
    // rather than every 30 requests times the limit (each probe takes a loaded latency as the no-load one)
    WindowedLimit windowed = WindowedLimit.newBuilder()
        .minWindowTime(100, TimeUnit.MILLISECONDS)
        .maxWindowTime(1, TimeUnit.SECONDS)
        .windowSize(10)
        .minRttThreshold(10, TimeUnit.MICROSECONDS)
        .build(limit);
    this.limiter = SimpleLimiter.newBuilder().named("vigil-proxy").limit(windowed).build();
    this.ratePerSecond = config.clientRatePerSecond();
    this.burst = config.clientBurst();
    this.buckets = ratePerSecond > 0
        ? Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build()
        : null;
  }

  /** Counts a request refused by the caller's own admission rule as rejected. */
  public void reject() {
    rejected.increment();
  }

  /** A slot towards the upstream, or empty when over the limit (counted as rejected). */
  public Optional<Limiter.Listener> acquire() {
    Optional<Limiter.Listener> l = limiter.acquire(null);
    if (l.isEmpty()) {
      rejected.increment();
    }
    return l;
  }

  /**
   * Takes one token for a client; returns 0 when allowed, else the nanoseconds until a token is due
   * (counted as rejected).
   */
  public long takeClientToken(String client) {
    if (buckets == null) {
      return 0;
    }
    Bucket b = buckets.get(client, k -> Bucket.builder()
        .addLimit(ratePerSecond >= 1
            ? Bandwidth.builder().capacity(burst).refillGreedy(Math.round(ratePerSecond), Duration.ofSeconds(1)).build()
            : Bandwidth.builder().capacity(burst).refillGreedy(1, Duration.ofMillis(Math.round(1000 / ratePerSecond))).build())
        .build());
    ConsumptionProbe p = b.tryConsumeAndReturnRemaining(1);
    if (p.isConsumed()) {
      return 0;
    }
    rejected.increment();
    return Math.max(1, p.getNanosToWaitForRefill());
  }

  /** The current concurrency limit. */
  public int limit() {
    return limiter.getLimit();
  }

  /** Requests in flight to the upstream. */
  public int inFlight() {
    return limiter.getInflight();
  }

  /** Requests refused so far. */
  public long rejected() {
    return rejected.sum();
  }
}
