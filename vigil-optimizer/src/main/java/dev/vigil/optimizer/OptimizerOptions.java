package dev.vigil.optimizer;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the optimizer measures and decides. The defaults live here; {@link #validate} refuses values
 * that would make a decision meaningless.
 *
 * @param level what a scheduled run applies without asking
 * @param baseline how far before a change its baseline window reaches
 * @param observation longest time a change is observed before it must have shown a gain
 * @param minSamples fewest samples per window before any decision
 * @param alpha significance level of the tests (confidence = 1 − p)
 * @param minEffect smallest relative change of the target that counts (0.10 = 10 %)
 * @param guardEffect smallest relative harm of a guard metric that rolls back (0.10 = 10 %)
 * @param clock time source
 */
public record OptimizerOptions(Level level, Duration baseline, Duration observation, int minSamples, double alpha,
    double minEffect, double guardEffect, Clock clock) {
  /** Default level: report only. */
  public static final Level DEFAULT_LEVEL = Level.LOW;
  /** Default baseline window. */
  public static final Duration DEFAULT_BASELINE = Duration.ofMinutes(15);
  /** Default observation window. */
  public static final Duration DEFAULT_OBSERVATION = Duration.ofMinutes(30);
  /** Default fewest samples per window. */
  public static final int DEFAULT_MIN_SAMPLES = 20;
  /** Default significance level. */
  public static final double DEFAULT_ALPHA = 0.01;
  /** Default smallest relative effect. */
  public static final double DEFAULT_MIN_EFFECT = 0.10;
  /** Default smallest relative harm of a guard. */
  public static final double DEFAULT_GUARD_EFFECT = 0.10;

  /** Validates the options. */
  public OptimizerOptions {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(clock, "clock");
    validate(baseline, observation, minSamples, alpha, minEffect, guardEffect);
  }

  /** The defaults on the system clock. */
  public static OptimizerOptions defaults() {
    return new OptimizerOptions(DEFAULT_LEVEL, DEFAULT_BASELINE, DEFAULT_OBSERVATION, DEFAULT_MIN_SAMPLES,
        DEFAULT_ALPHA, DEFAULT_MIN_EFFECT, DEFAULT_GUARD_EFFECT, Clock.systemUTC());
  }

  /** These options at another level. */
  public OptimizerOptions withLevel(Level other) {
    return new OptimizerOptions(other, baseline, observation, minSamples, alpha, minEffect, guardEffect, clock);
  }

  /** These options with other windows. */
  public OptimizerOptions withWindows(Duration baselineWindow, Duration observationWindow) {
    return new OptimizerOptions(level, baselineWindow, observationWindow, minSamples, alpha, minEffect, guardEffect,
        clock);
  }

  /** These options with another minimum sample count. */
  public OptimizerOptions withMinSamples(int min) {
    return new OptimizerOptions(level, baseline, observation, min, alpha, minEffect, guardEffect, clock);
  }

  /** These options on another clock. */
  public OptimizerOptions withClock(Clock other) {
    return new OptimizerOptions(level, baseline, observation, minSamples, alpha, minEffect, guardEffect, other);
  }

  private static void validate(Duration baseline, Duration observation, int minSamples, double alpha,
      double minEffect, double guardEffect) {
    if (baseline == null || baseline.isNegative() || baseline.isZero()) {
      throw new IllegalArgumentException("optimizer baseline window must be positive: " + baseline);
    }
    if (observation == null || observation.isNegative() || observation.isZero()) {
      throw new IllegalArgumentException("optimizer observation window must be positive: " + observation);
    }
    if (minSamples < 8) {
      throw new IllegalArgumentException("optimizer needs at least 8 samples per window to test; got " + minSamples);
    }
    if (!(alpha > 0 && alpha <= 0.1)) {
      throw new IllegalArgumentException("optimizer significance level must be in (0, 0.1]; got " + alpha);
    }
    if (!(minEffect >= 0 && minEffect < 1) || !(guardEffect >= 0 && guardEffect < 1)) {
      throw new IllegalArgumentException("optimizer effects must be in [0, 1); got " + minEffect + ", " + guardEffect);
    }
  }
}
