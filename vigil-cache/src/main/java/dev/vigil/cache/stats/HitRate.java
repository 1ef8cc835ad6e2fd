package dev.vigil.cache.stats;

/** The documented hit rate: hits as a percentage of requests, rounded to two decimals, 0 with no requests. */
public final class HitRate {
  private HitRate() {
  }

  /** {@code hits * 100 / (hits + misses)} rounded half-up to two decimals. */
  public static double percent(long hits, long misses) {
    long total = hits + misses;
    if (total <= 0) {
      return 0.0;
    }
    return Math.round(hits * 10_000.0 / total) / 100.0;
  }
}
