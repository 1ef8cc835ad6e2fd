package dev.vigil.alert.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * How the queue retries and leases.
 *
 * @param maxAttempts attempts before a job is dead-lettered
 * @param maxAge age after which a failing job is dead-lettered instead of retried
 * @param backoffBase the first retry delay; each further attempt doubles it
 * @param backoffMax the longest retry delay
 * @param lease how long a claim holds before another worker may take the job over (a worker that
 *     died mid-job)
 * @param pollInterval how often an idle worker looks for due jobs enqueued by other processes
 */
public record QueueOptions(int maxAttempts, Duration maxAge, Duration backoffBase, Duration backoffMax,
    Duration lease, Duration pollInterval) {
  /** 25 attempts. */
  public static final int DEFAULT_MAX_ATTEMPTS = 25;
  /** One day. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
  /** 2 s. */
  public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofSeconds(2);
  /** 5 min. */
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofMinutes(5);
  /** 2 min. */
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);
  /** 1 s. */
  public static final Duration DEFAULT_POLL = Duration.ofSeconds(1);

  /** Validates. */
  public QueueOptions {
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(backoffBase, "backoffBase");
    Objects.requireNonNull(backoffMax, "backoffMax");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("queue max attempts must be >= 1, got " + maxAttempts);
    }
    if (backoffBase.isNegative() || backoffBase.isZero() || backoffMax.compareTo(backoffBase) < 0) {
      throw new IllegalArgumentException("queue backoff must satisfy 0 < base <= max, got base " + backoffBase
          + " max " + backoffMax);
    }
    if (lease.toMillis() < 1000 || pollInterval.toMillis() < 1 || maxAge.toMillis() < 1000) {
      throw new IllegalArgumentException("queue lease and max age must be >= 1s and poll interval > 0");
    }
  }

  /** The defaults above. */
  public static QueueOptions defaults() {
    return new QueueOptions(DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_AGE, DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_MAX,
        DEFAULT_LEASE, DEFAULT_POLL);
  }

  /**
   * The delay before attempt {@code attempts + 1}: base * 2^(attempts-1), capped, with "equal jitter"
   * (half fixed, half random) so a fleet of retries does not arrive in lock step.
   *
   * @param attempts attempts made so far (>= 1)
   * @param random a number in [0, 1)
   */
  public Duration backoff(int attempts, double random) {
    long base = backoffBase.toMillis();
    int shift = Math.min(Math.max(attempts - 1, 0), 30);
    long raw = base << shift;
    long capped = raw <= 0 || raw > backoffMax.toMillis() ? backoffMax.toMillis() : raw;
    long half = capped / 2;
    return Duration.ofMillis(half + (long) (random * (capped - half)));
  }
}
