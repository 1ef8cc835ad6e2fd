package dev.vigil.optimizer.cache;

import dev.vigil.cache.CacheManager;
import dev.vigil.cache.observe.L1Curve;
import dev.vigil.optimizer.Family;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.Proposal;
import dev.vigil.optimizer.Tuning;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Sizes the in-process cache level from its miss-ratio curve: the shadow entries of recently evicted
 * keys tell how many misses a larger level would have answered. Grows it to the smallest observed step
 * that gains at least {@link #DEFAULT_MIN_GAIN} of hit rate, never beyond the entry budget nor while RAM
 * is under pressure. Applied at {@link Level#HIGH}; undo restores the previous size. Measured by the
 * level's hit rate.
 */
public final class L1SizeTuning implements Tuning {
  /** Smallest hit-rate gain (0–1) worth a resize, by default. */
  public static final double DEFAULT_MIN_GAIN = 0.05;
  /** How many times its starting size the in-process level may grow to, by default. */
  public static final long DEFAULT_BUDGET_FACTOR = 4;
  /** Fewest in-process reads before the curve is trusted, by default. */
  public static final long DEFAULT_MIN_READS = 1000;

  private final CacheManager cache;
  private final long budgetEntries;
  private final DoubleSupplier ramPercent;
  private final double pressurePercent;
  private final double minGain;
  private final long minReads;

  /**
   * A tuning over {@code cache}.
   *
   * @param budgetEntries the largest size it may set
   * @param ramPercent the host's RAM use now; no growth from {@code pressurePercent} on
   * @throws IllegalArgumentException for a budget below 1, a threshold outside (0, 100] or a gain outside (0, 1)
   */
  public L1SizeTuning(CacheManager cache, long budgetEntries, DoubleSupplier ramPercent, double pressurePercent,
      double minGain, long minReads) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.ramPercent = Objects.requireNonNull(ramPercent, "ramPercent");
    if (budgetEntries < 1 || !(pressurePercent > 0 && pressurePercent <= 100) || !(minGain > 0 && minGain < 1)
        || minReads < 1) {
      throw new IllegalArgumentException("L1 sizing needs a budget >= 1, a RAM threshold in (0, 100], a gain in"
          + " (0, 1) and reads >= 1; got " + budgetEntries + ", " + pressurePercent + ", " + minGain + ", " + minReads);
    }
    this.budgetEntries = budgetEntries;
    this.pressurePercent = pressurePercent;
    this.minGain = minGain;
    this.minReads = minReads;
  }

  @Override
  public String name() {
    return "cache.l1_size";
  }

  @Override
  public Family family() {
    return Family.CACHE;
  }

  @Override
  public List<Proposal> propose() {
    L1Curve curve = cache.l1Curve();
    long capacity = curve.capacity();
    if (curve.hits() + curve.misses() < minReads || capacity >= budgetEntries
        || ramPercent.getAsDouble() >= pressurePercent) {
      return List.of();
    }
    for (int i = 0; i < curve.steps().length; i++) {
      double estimated = curve.estimatedHitRate(i);
      if (estimated - curve.hitRate() < minGain) {
        continue;
      }
      long target = Math.min(budgetEntries, (long) Math.ceil(capacity * (1 + curve.steps()[i])));
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("from_entries", capacity);
      details.put("to_entries", target);
      details.put("hit_rate", curve.hitRate());
      details.put("estimated_hit_rate", estimated);
      details.put("reads", curve.hits() + curve.misses());
      return List.of(new Proposal("cache:l1:" + capacity + "->" + target, Family.CACHE, "resize_l1", Level.HIGH,
          "in-process cache: " + capacity + " → " + target + " entries",
          String.format(Locale.ROOT, "shadow entries of evicted keys: %.1f%% hit rate now, about %.1f%% at %d entries"
              + " (over %d reads)", curve.hitRate() * 100, estimated * 100, target, curve.hits() + curve.misses()),
          "in-process hit rate", details));
    }
    return List.of();
  }

  @Override
  public Map<String, String> apply(Proposal proposal) {
    long from = cache.l1Capacity();
    cache.resizeL1(((Number) proposal.details().get("to_entries")).longValue());
    return Map.of("from_entries", Long.toString(from));
  }

  /** Sets the size again after a restart. */
  @Override
  public void restore(Proposal proposal, Map<String, String> undo) {
    cache.resizeL1(((Number) proposal.details().get("to_entries")).longValue());
  }

  @Override
  public void undo(Proposal proposal, Map<String, String> undo) {
    long from = undo.containsKey("from_entries") ? Long.parseLong(undo.get("from_entries"))
        : ((Number) proposal.details().get("from_entries")).longValue();
    cache.resizeL1(from);
  }

  @Override
  public Probe probe(Proposal proposal) {
    return new Probe() {
      @Override
      public String name() {
        return "in-process hit rate";
      }

      @Override
      public boolean lowerIsBetter() {
        return false;
      }

      @Override
      public double[] samples(Instant from, Instant to) {
        return cache.l1HitRateSamples(from, to);
      }
    };
  }
}
