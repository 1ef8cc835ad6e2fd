package dev.vigil.monitor.anomaly;

import dev.vigil.monitor.host.Metric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Scores every metric of every reading with a robust median/MAD score (see {@link RobustScorer} for
 * the method) and returns the readings that start an anomaly. One scorer per metric, created on the
 * metric's first reading. Thread-safe.
 *
 * <p>A statistically unusual reading is reported only when a person would also call it unusual: its
 * distance from the typical value must reach the series' minimum effect
 * ({@link MinimumEffect}: e.g. 10 points of a percentage, or doubling a rate), and a series flagged
 * less than {@link AnomalyOptions#cooldown()} ago is not flagged again.
 */
public final class AnomalyDetector {
  private final AnomalyOptions options;
  private final ToDoubleFunction<String> noiseFloor;
  private final MinimumEffect minimumEffect;
  private final Map<String, Instant> lastFlagged = new HashMap<>();
  private final Set<String> reportedExcursion = new HashSet<>();
  private final Map<String, RobustScorer> scorers = new HashMap<>();
  private final Map<String, Double> lastScores = new HashMap<>();

  /** A detector for the host metrics, with each metric's noise floor from {@link Metric}. */
  public AnomalyDetector(AnomalyOptions options) {
    this(options, name -> Metric.of(name).noiseFloor(), MinimumEffect.HOST_METRICS);
  }

  /**
   * A detector with its own noise floors.
   *
   * @param noiseFloor the smallest spread assumed for a metric, by name; must be positive
   */
  public AnomalyDetector(AnomalyOptions options, ToDoubleFunction<String> noiseFloor) {
    this(options, noiseFloor, MinimumEffect.NONE);
  }

  /**
   * A detector with its own noise floors and minimum effects.
   *
   * @param noiseFloor the smallest spread assumed for a metric, by name; must be positive
   * @param minimumEffect the smallest distance from typical that is worth a flag
   */
  public AnomalyDetector(AnomalyOptions options, ToDoubleFunction<String> noiseFloor, MinimumEffect minimumEffect) {
    this.options = Objects.requireNonNull(options, "options");
    this.noiseFloor = Objects.requireNonNull(noiseFloor, "noiseFloor");
    this.minimumEffect = Objects.requireNonNull(minimumEffect, "minimumEffect");
  }

  /** The settings in use. */
  public AnomalyOptions options() {
    return options;
  }

  /** Scores one reading of each metric in {@code values}; returns the anomalies it starts. */
  public synchronized List<Anomaly> observe(Instant time, Map<String, Double> values) {
    List<Anomaly> found = new ArrayList<>(0);
    values.forEach((metric, v) -> {
      if (v == null || !Double.isFinite(v)) {
        return;
      }
      RobustScorer scorer = scorers.computeIfAbsent(metric, m -> {
        double floor = noiseFloor.applyAsDouble(m);
        if (!(floor > 0)) {
          throw new IllegalArgumentException("noise floor of " + m + " must be positive, not " + floor);
        }
        return new RobustScorer(options, floor);
      });
      RobustScorer.Result r = scorer.observe(v);
      if (!Double.isNaN(r.score())) {
        lastScores.put(metric, r.score());
      }
      if (r.flagged() || !r.beyond(options.bound())) {
        reportedExcursion.remove(metric);
      }
      // an excursion is reported once, at its first reading that is also a large enough move
      if (r.beyond(options.bound()) && !reportedExcursion.contains(metric)
          && Math.abs(v - r.median()) >= minimumEffect.of(metric, r.median()) && !coolingDown(metric, time)) {
        reportedExcursion.add(metric);
        lastFlagged.put(metric, time);
        found.add(new Anomaly(time, metric, v, Math.round(r.score() * 100) / 100.0, r.median()));
      }
    });
    return found;
  }

  private boolean coolingDown(String metric, Instant time) {
    Instant last = lastFlagged.get(metric);
    return last != null && time.isBefore(last.plus(options.cooldown()));
  }

  /** The latest score of each metric that is past its warm-up. */
  public synchronized Map<String, Double> lastScores() {
    return Map.copyOf(lastScores);
  }
}
