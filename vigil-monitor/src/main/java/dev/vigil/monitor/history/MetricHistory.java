package dev.vigil.monitor.history;

import dev.vigil.core.store.StateStore;
import dev.vigil.monitor.host.HostMetrics;
import dev.vigil.monitor.host.Metric;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * History of every metric: the in-memory ring of readings plus, when a state store is given, roll-ups
 * persisted per minute (kept 7 days) and per hour (kept a year) with min/avg/max/count. A query picks
 * the tier from its step and range:
 * <ul>
 *   <li>step under a minute, or no store: the ring (raw readings, as far back as the ring reaches);</li>
 *   <li>step under an hour and range within the last 7 days: the minute tier;</li>
 *   <li>otherwise: the hour tier.</li>
 * </ul>
 * The step is raised to a whole multiple of the tier's resolution. Thread-safe.
 */
public final class MetricHistory implements AutoCloseable {
  /** The most points one query may return. */
  public static final int MAX_POINTS = 10_000;

  private final SampleRing ring;
  private final Rollups rollups;
  private final Clock clock;

  /**
   * A history over {@code ring}, persisting roll-ups of {@code host} in {@code store} when it is not null.
   *
   * @param host the name this machine's rows carry in a store shared by several instances
   */
  public MetricHistory(SampleRing ring, StateStore store, String host, Clock clock) {
    this.ring = Objects.requireNonNull(ring, "ring");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.rollups = store == null ? null : new Rollups(new RollupStore(store, host));
  }

  /** The ring of raw readings. */
  public SampleRing ring() {
    return ring;
  }

  /** Whether roll-ups are persisted. */
  public boolean persistent() {
    return rollups != null;
  }

  /** Records one reading in the ring and the roll-ups. */
  public void record(HostMetrics m) {
    ring.add(m);
    if (rollups != null) {
      rollups.add(m.timestamp().toEpochMilli(), m.values());
    }
  }

  /**
   * The history of {@code metric} in {@code [from, to)}, one point per {@code step} that has data.
   *
   * @throws IllegalArgumentException naming the bad parameter: unknown metric, {@code from} not before
   *     {@code to}, a step under one second, or more than {@value #MAX_POINTS} points
   */
  public History query(String metric, Instant from, Instant to, Duration step) {
    Metric.of(metric);
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(step, "step");
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
    }
    if (step.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("step must be at least one second, not " + step);
    }
    Tier tier = tierFor(from, step);
    long stepMillis = step.toMillis();
    long resolution = tier.resolution().toMillis();
    if (resolution > 0) {
      stepMillis = Math.max(1, (stepMillis + resolution - 1) / resolution) * resolution;
    }
    long start = Math.floorDiv(from.toEpochMilli(), stepMillis) * stepMillis;
    long end = to.toEpochMilli();
    long points = (end - start + stepMillis - 1) / stepMillis;
    if (points > MAX_POINTS) {
      throw new IllegalArgumentException("step " + step + " over " + Duration.between(from, to) + " gives " + points
          + " points; at most " + MAX_POINTS + " are returned, use a larger step");
    }
    TreeMap<Long, Bucket> steps = new TreeMap<>();
    if (tier == Tier.RAW) {
      for (HostMetrics m : ring.between(Instant.ofEpochMilli(start), to)) {
        Double v = m.value(metric);
        if (v != null) {
          long at = m.timestamp().toEpochMilli();
          long s = Math.floorDiv(at, stepMillis) * stepMillis;
          steps.merge(s, Bucket.of(metric, s, v), Bucket::merge);
        }
      }
    } else {
      add(steps, rollups.read(tier, metric, start, end), stepMillis, start, end);
    }
    List<HistoryPoint> out = steps.values().stream()
        .map(b -> new HistoryPoint(Instant.ofEpochMilli(b.start()), b.min(), b.avg(), b.max(), b.count())).toList();
    return new History(metric, tier, stepMillis / 1000, Instant.ofEpochMilli(start), to, out);
  }

  private static void add(Map<Long, Bucket> steps, List<Bucket> buckets, long stepMillis, long start, long end) {
    for (Bucket b : buckets) {
      if (b.start() >= start && b.start() < end) {
        long s = Math.floorDiv(b.start(), stepMillis) * stepMillis;
        steps.merge(s, b.at(s), Bucket::merge);
      }
    }
  }

  private Tier tierFor(Instant from, Duration step) {
    if (rollups == null || step.compareTo(Tier.MINUTE.resolution()) < 0) {
      return Tier.RAW;
    }
    Instant minuteHorizon = clock.instant().minus(Tier.MINUTE.retention());
    if (step.compareTo(Tier.HOUR.resolution()) < 0 && !from.isBefore(minuteHorizon)) {
      return Tier.MINUTE;
    }
    return Tier.HOUR;
  }

  /** Writes the minute in progress to the store (a restart continues it). */
  @Override
  public void close() {
    if (rollups != null) {
      rollups.close(clock.millis());
    }
  }
}
