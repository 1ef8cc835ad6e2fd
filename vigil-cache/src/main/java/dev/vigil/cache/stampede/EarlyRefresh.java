package dev.vigil.cache.stampede;

/**
 * Probabilistic early expiration ("XFetch", Vattani et al., VLDB 2015): on each read of a value produced
 * by a loader, refresh it now with probability {@code exp(-(expiry - now) / (delta * beta))}, where
 * {@code delta} is how long the load took. Hot keys are thus refreshed shortly before they expire, by one
 * reader, instead of expiring under load and sending every reader to the loader at once.
 *
 * <p>{@code delta} is taken as at least {@code minDeltaFraction} of the TTL, so even a value loaded in no
 * measurable time gets refreshed in the last stretch of its life.
 */
public final class EarlyRefresh {
  /** Never refresh early. */
  public static final EarlyRefresh OFF = new EarlyRefresh(0, 0);

  private final double beta;
  private final double minDeltaFraction;

  /**
   * Creates the policy.
   *
   * @param beta 0 disables; 1 is the paper's recommendation; larger refreshes earlier
   * @param minDeltaFraction the least delta as a fraction of the TTL (0 to 0.5)
   */
  public EarlyRefresh(double beta, double minDeltaFraction) {
    if (!(beta >= 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("early refresh beta must be >= 0, got " + beta);
    }
    if (!(minDeltaFraction >= 0 && minDeltaFraction <= 0.5)) {
      throw new IllegalArgumentException("minDeltaFraction must be within 0..0.5, got " + minDeltaFraction);
    }
    this.beta = beta;
    this.minDeltaFraction = minDeltaFraction;
  }

  /** Whether early refresh is on. */
  public boolean enabled() {
    return beta > 0;
  }

  /**
   * Whether this read should refresh the value now.
   *
   * @param nowMillis the current time
   * @param expiresAtMillis the value's expiry (0 = unknown: never refresh early)
   * @param ttlMillis the value's full TTL
   * @param loadMillis how long its load took
   * @param unitRandom a uniform random number in {@code (0, 1]}
   */
  public boolean shouldRefresh(long nowMillis, long expiresAtMillis, long ttlMillis, long loadMillis,
      double unitRandom) {
    if (beta == 0 || expiresAtMillis == 0) {
      return false;
    }
    double delta = Math.max(loadMillis, ttlMillis * minDeltaFraction);
    if (delta <= 0) {
      return false;
    }
    return nowMillis - delta * beta * Math.log(unitRandom) >= expiresAtMillis;
  }
}
