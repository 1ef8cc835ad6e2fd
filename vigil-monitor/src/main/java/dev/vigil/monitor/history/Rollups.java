package dev.vigil.monitor.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds readings into per-minute buckets and writes each minute to the store when the next one
 * starts, then recomputes that hour's roll-up from its minutes, so the hour tier is always consistent
 * with the minute tier, across restarts too. When the store cannot be written, the minutes wait in
 * memory (up to a cap) and are retried with the next minute. Thread-safe.
 */
final class Rollups {
  private static final Logger LOG = LoggerFactory.getLogger(Rollups.class);
  /** About a day of minutes for 20 metrics: what is kept while the store is unreachable. */
  private static final int MAX_PENDING = 30_000;
  private static final long MINUTE = Tier.MINUTE.resolution().toMillis();
  private static final long HOUR = Tier.HOUR.resolution().toMillis();

  private final RollupStore store;
  private final Map<String, Bucket> current = new LinkedHashMap<>();
  private final List<Bucket> pending = new ArrayList<>();
  private long currentMinute = Long.MIN_VALUE;
  private long prunedHour = Long.MIN_VALUE;

  Rollups(RollupStore store) {
    this.store = store;
  }

  /** Adds one reading's values at {@code epochMillis}, writing out the previous minute when this one is new. */
  synchronized void add(long epochMillis, Map<String, Double> values) {
    long minute = Math.floorDiv(epochMillis, MINUTE) * MINUTE;
    if (minute != currentMinute) {
      pending.addAll(current.values());
      current.clear();
      currentMinute = minute;
      flush(epochMillis);
    }
    values.forEach((metric, v) -> {
      if (Double.isFinite(v)) {
        current.merge(metric, Bucket.of(metric, minute, v), Bucket::merge);
      }
    });
  }

  /**
   * The stored buckets of {@code metric} in {@code tier} with {@code from <= start < to}, followed by the
   * minute buckets not yet written (pending and the minute in progress), read under one lock so that a
   * concurrent write neither hides nor doubles a minute.
   */
  synchronized List<Bucket> read(Tier tier, String metric, long from, long to) {
    List<Bucket> out = new ArrayList<>(store.read(tier, metric, from, to));
    for (Bucket b : pending) {
      if (b.metric().equals(metric)) {
        out.add(b);
      }
    }
    Bucket c = current.get(metric);
    if (c != null) {
      out.add(c);
    }
    return out;
  }

  /** Writes the minute in progress too (on shutdown); a later restart merges into the same minute. */
  synchronized void close(long nowMillis) {
    pending.addAll(current.values());
    current.clear();
    flush(nowMillis);
  }

  private void flush(long nowMillis) {
    if (pending.isEmpty()) {
      return;
    }
    try {
      Map<String, Bucket> merged = new HashMap<>();
      for (Bucket b : pending) {
        merged.merge(b.metric() + '@' + b.start(), b, Bucket::merge);
      }
      store.merge(Tier.MINUTE, merged.values());
      TreeSet<Long> hours = new TreeSet<>();
      for (Bucket b : merged.values()) {
        hours.add(Math.floorDiv(b.start(), HOUR) * HOUR);
      }
      for (long hour : hours) {
        store.rollUpHour(hour);
      }
      pending.clear();
      long hour = Math.floorDiv(nowMillis, HOUR) * HOUR;
      if (hour != prunedHour) {
        store.prune(nowMillis);
        prunedHour = hour;
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot write {} metric roll-ups to the state store {}; keeping them to retry with the next minute",
          pending.size(), store.describe(), e);
      int excess = pending.size() - MAX_PENDING;
      if (excess > 0) {
        pending.subList(0, excess).clear();
        LOG.warn("dropped the {} oldest unwritten metric roll-ups (at most {} are kept while the store is unreachable)",
            excess, MAX_PENDING);
      }
    }
  }
}
