package dev.vigil.cache.ttl;

import java.time.Duration;
import java.util.Objects;

/**
 * How long values of one category live: a base TTL spread by a random jitter so keys written together
 * do not all expire together (which would send a burst to the loader).
 *
 * @param category the category name, e.g. {@code market_prices}
 * @param ttl the base time to live
 * @param jitter the fraction by which a TTL may vary either way, 0 (none) to 0.5
 */
public record TtlProfile(String category, Duration ttl, double jitter) {
  /** Checks the fields. */
  public TtlProfile {
    Objects.requireNonNull(category, "category");
    if (category.isBlank()) {
      throw new IllegalArgumentException("TTL profile category must not be blank");
    }
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("TTL of profile '" + category + "' must be positive, got " + ttl);
    }
    if (!(jitter >= 0 && jitter <= 0.5)) {
      throw new IllegalArgumentException("jitter of profile '" + category + "' must be within 0..0.5, got " + jitter);
    }
  }

  /**
   * A TTL drawn uniformly from {@code ttl * (1 - jitter)} to {@code ttl * (1 + jitter)}, never below one
   * millisecond.
   *
   * @param unitRandom a number in {@code [0, 1)}
   */
  public Duration draw(double unitRandom) {
    long base = ttl.toMillis();
    long spread = Math.round(base * jitter * (2 * unitRandom - 1));
    return Duration.ofMillis(Math.max(1, base + spread));
  }
}
