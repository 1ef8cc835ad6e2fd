package dev.vigil.insight;

import java.time.Duration;
import java.util.Objects;

/**
 * How database insight judges and collects. The library owns these defaults ({@link #DEFAULTS});
 * the server maps its configuration onto them.
 *
 * @param snapshotInterval how often the scheduler snapshots the statistics (default 1 min)
 * @param statementTimeout the limit on every statement Vigil runs on the database (default 5 s)
 * @param slowQueryWarn a shape whose mean time in a snapshot interval reaches this is logged as a warning,
 *     once per shape and {@code slowWarnWindow} (default 500 ms)
 * @param slowWarnWindow how long a warned shape stays quiet (default 1 h)
 * @param slowMean PgHero's slow-shape rule: mean at least this (default 20 ms) ...
 * @param slowMinCalls ... and at least this many calls (default 100)
 * @param cacheHitFloor a table cache hit ratio below this is low (default 0.99)
 * @param longRunning an active statement running longer than this is long-running (default 1 min)
 * @param idleInTransaction a session idle in a transaction longer than this is reported (default 10 s)
 * @param unusedMinAge an index is reported unused only after Vigil has watched it this long (default 7 d)
 * @param largeTableRows a table with at least this many rows is large (default 10 000)
 * @param retention how long snapshot deltas are kept (default 8 d)
 * @param advisorShapes how many shapes, by total time, the advisor examines (default 25)
 * @param minCostReduction a candidate index is kept when it cuts the calls-weighted plan cost of the shapes it
 *     serves by at least this share (default 0.5, Dexter's rule)
 */
public record InsightSettings(Duration snapshotInterval, Duration statementTimeout, Duration slowQueryWarn,
    Duration slowWarnWindow, Duration slowMean, long slowMinCalls, double cacheHitFloor, Duration longRunning,
    Duration idleInTransaction, Duration unusedMinAge, long largeTableRows, Duration retention, int advisorShapes,
    double minCostReduction) {

  /** The defaults. */
  public static final InsightSettings DEFAULTS = new InsightSettings(Duration.ofMinutes(1), Duration.ofSeconds(5),
      Duration.ofMillis(500), Duration.ofHours(1), Duration.ofMillis(20), 100, 0.99, Duration.ofMinutes(1),
      Duration.ofSeconds(10), Duration.ofDays(7), 10_000, Duration.ofDays(8), 25, 0.5);

  /** Validates every value, naming the bad one. */
  public InsightSettings {
    positive("snapshot interval", snapshotInterval);
    if (snapshotInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("insight snapshot interval must be at least 1 s, not " + snapshotInterval);
    }
    positive("statement timeout", statementTimeout);
    positive("slow query warning", slowQueryWarn);
    positive("slow warning window", slowWarnWindow);
    positive("slow mean", slowMean);
    positive("long-running limit", longRunning);
    positive("idle-in-transaction limit", idleInTransaction);
    Objects.requireNonNull(unusedMinAge, "unused index minimum age");
    if (unusedMinAge.isNegative()) {
      throw new IllegalArgumentException("unused index minimum age must not be negative, not " + unusedMinAge);
    }
    positive("retention", retention);
    if (slowMinCalls < 1) {
      throw new IllegalArgumentException("slow shape minimum calls must be at least 1, not " + slowMinCalls);
    }
    if (!(cacheHitFloor > 0 && cacheHitFloor <= 1)) {
      throw new IllegalArgumentException("cache hit floor must be in (0, 1], not " + cacheHitFloor);
    }
    if (largeTableRows < 1) {
      throw new IllegalArgumentException("large table rows must be at least 1, not " + largeTableRows);
    }
    if (advisorShapes < 1 || advisorShapes > 500) {
      throw new IllegalArgumentException("advisor shapes must be 1-500, not " + advisorShapes);
    }
    if (!(minCostReduction > 0 && minCostReduction < 1)) {
      throw new IllegalArgumentException("minimum cost reduction must be in (0, 1), not " + minCostReduction);
    }
  }

  private static void positive(String what, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("insight " + what + " must be a positive duration, not " + d);
    }
  }

  /** A copy with another snapshot interval. */
  public InsightSettings withSnapshotInterval(Duration d) {
    return new InsightSettings(d, statementTimeout, slowQueryWarn, slowWarnWindow, slowMean, slowMinCalls,
        cacheHitFloor, longRunning, idleInTransaction, unusedMinAge, largeTableRows, retention, advisorShapes,
        minCostReduction);
  }

  /** A copy with another statement timeout. */
  public InsightSettings withStatementTimeout(Duration d) {
    return new InsightSettings(snapshotInterval, d, slowQueryWarn, slowWarnWindow, slowMean, slowMinCalls,
        cacheHitFloor, longRunning, idleInTransaction, unusedMinAge, largeTableRows, retention, advisorShapes,
        minCostReduction);
  }

  /** A copy with another slow-query warning threshold. */
  public InsightSettings withSlowQueryWarn(Duration d) {
    return new InsightSettings(snapshotInterval, statementTimeout, d, slowWarnWindow, slowMean, slowMinCalls,
        cacheHitFloor, longRunning, idleInTransaction, unusedMinAge, largeTableRows, retention, advisorShapes,
        minCostReduction);
  }

  /** A copy with other session limits. */
  public InsightSettings withSessionLimits(Duration longRunningLimit, Duration idleInTransactionLimit) {
    return new InsightSettings(snapshotInterval, statementTimeout, slowQueryWarn, slowWarnWindow, slowMean,
        slowMinCalls, cacheHitFloor, longRunningLimit, idleInTransactionLimit, unusedMinAge, largeTableRows,
        retention, advisorShapes, minCostReduction);
  }

  /** A copy with another minimum age for unused indexes. */
  public InsightSettings withUnusedMinAge(Duration d) {
    return new InsightSettings(snapshotInterval, statementTimeout, slowQueryWarn, slowWarnWindow, slowMean,
        slowMinCalls, cacheHitFloor, longRunning, idleInTransaction, d, largeTableRows, retention, advisorShapes,
        minCostReduction);
  }
}
