package dev.vigil.optimizer.memory;

import dev.vigil.cache.CacheManager;
import dev.vigil.optimizer.Family;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.Proposal;
import dev.vigil.optimizer.Tuning;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Under RAM pressure, halves Vigil's own in-process cache (down to a floor) so the application keeps
 * its memory; restores the size on rollback. Reversible and non-blocking: applied at
 * {@link Level#MEDIUM}. The probe tells whether memory use went down; the cache's hit rate, when
 * given, is a guard.
 */
public final class CacheBudgetTuning implements Tuning {
  /** RAM use (%) above which the cache is shrunk, by default. */
  public static final double DEFAULT_PRESSURE_PERCENT = 90;
  /** Smallest size the cache is shrunk to, by default. */
  public static final long DEFAULT_FLOOR_ENTRIES = 1000;

  private final CacheManager cache;
  private final DoubleSupplier ramPercent;
  private final double pressurePercent;
  private final long floorEntries;
  private final Probe memory;
  private final List<Probe> guards;

  /**
   * A budget for {@code cache}.
   *
   * @param ramPercent the host's RAM use now, in percent
   * @param memory measures the memory the change should lower (e.g. RAM % from the monitor's history)
   * @param guards metrics it may harm (e.g. the cache's hit rate)
   */
  public CacheBudgetTuning(CacheManager cache, DoubleSupplier ramPercent, double pressurePercent, long floorEntries,
      Probe memory, List<Probe> guards) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.ramPercent = Objects.requireNonNull(ramPercent, "ramPercent");
    if (!(pressurePercent > 0 && pressurePercent <= 100)) {
      throw new IllegalArgumentException("RAM pressure threshold must be in (0, 100]; got " + pressurePercent);
    }
    if (floorEntries < 1) {
      throw new IllegalArgumentException("cache floor must be at least 1 entry; got " + floorEntries);
    }
    this.pressurePercent = pressurePercent;
    this.floorEntries = floorEntries;
    this.memory = Objects.requireNonNull(memory, "memory");
    this.guards = List.copyOf(guards);
  }

  @Override
  public String name() {
    return "memory.cache_budget";
  }

  @Override
  public Family family() {
    return Family.MEMORY;
  }

  @Override
  public List<Proposal> propose() {
    double ram = ramPercent.getAsDouble();
    long capacity = cache.l1Capacity();
    long target = Math.max(floorEntries, capacity / 2);
    if (ram < pressurePercent || target >= capacity) {
      return List.of();
    }
    return List.of(new Proposal("memory:l1:" + capacity + "->" + target, Family.MEMORY, "shrink_cache", Level.MEDIUM,
        "Vigil's in-process cache: " + capacity + " → " + target + " entries",
        String.format(Locale.ROOT, "RAM at %.1f%% (pressure from %.0f%%)", ram, pressurePercent),
        memory.name(), Map.of("from_entries", capacity, "to_entries", target)));
  }

  @Override
  public Map<String, String> apply(Proposal proposal) {
    long from = ((Number) proposal.details().get("from_entries")).longValue();
    cache.resizeL1(((Number) proposal.details().get("to_entries")).longValue());
    return Map.of("from_entries", Long.toString(from));
  }

  @Override
  public void undo(Proposal proposal, Map<String, String> undo) {
    cache.resizeL1(((Number) proposal.details().get("from_entries")).longValue());
  }

  @Override
  public Probe probe(Proposal proposal) {
    return memory;
  }

  @Override
  public List<Probe> guards(Proposal proposal) {
    return guards;
  }
}
