package dev.vigil.cache.internal.observe;

import dev.vigil.cache.observe.L1Curve;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The in-process level's hit rate over time and its shadow entries. On one in-process miss in
 * {@link #SAMPLE_ONE_IN} and one hit in {@link #HIT_SAMPLE_ONE_IN} (chosen at random, so no shared counter
 * is bumped) it records the hit rate since the previous sample. Keeps the last {@link #MAX_SAMPLES} samples.
 */
public final class L1Watch {
  /** One miss in this many takes a hit-rate sample. */
  public static final int SAMPLE_ONE_IN = 32;
  /** One hit in this many takes a hit-rate sample (a power of two). */
  public static final int HIT_SAMPLE_ONE_IN = 1024;
  /** Most samples kept. */
  public static final int MAX_SAMPLES = 4096;
  private static final long MIN_READS = 16;

  private final Clock clock;
  private final LongSupplier hits;
  private final LongSupplier misses;
  private final GhostList ghosts;
  private final long[] at = new long[MAX_SAMPLES];
  private final double[] rate = new double[MAX_SAMPLES];
  private int next;
  private int count;
  private long lastHits;
  private long lastMisses;
  private long hitsAtResize;
  private long missesAtResize;

  /** Watches a level of {@code capacity} entries whose counters are {@code hits} and {@code misses}. */
  public L1Watch(Clock clock, long capacity, LongSupplier hits, LongSupplier misses) {
    this.clock = clock;
    this.hits = hits;
    this.misses = misses;
    this.ghosts = new GhostList(capacity);
  }

  /** The shadow entries (the level reports its evictions there). */
  public GhostList ghosts() {
    return ghosts;
  }

  /**
   * Called on an in-process hit: one in {@link #HIT_SAMPLE_ONE_IN} takes a sample, so a level that stops
   * missing still shows its hit rate.
   */
  public void hit() {
    if ((ThreadLocalRandom.current().nextInt() & (HIT_SAMPLE_ONE_IN - 1)) == 0) {
      sample();
    }
  }

  /** Called on an in-process miss. */
  public void missed(String key) {
    ghosts.missed(key);
    if (ThreadLocalRandom.current().nextInt(SAMPLE_ONE_IN) == 0) {
      sample();
    }
  }

  /** Records the hit rate since the previous sample, when enough reads happened. */
  public synchronized void sample() {
    long h = hits.getAsLong();
    long m = misses.getAsLong();
    long reads = (h - lastHits) + (m - lastMisses);
    if (reads < MIN_READS) {
      return;
    }
    at[next] = clock.millis();
    rate[next] = (double) (h - lastHits) / reads;
    next = (next + 1) % MAX_SAMPLES;
    count = Math.min(MAX_SAMPLES, count + 1);
    lastHits = h;
    lastMisses = m;
  }

  /** The hit-rate samples (0–1) taken in {@code [from, to)}. */
  public synchronized double[] samples(Instant from, Instant to) {
    long f = from.toEpochMilli();
    long t = to.toEpochMilli();
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int idx = (next - count + i + MAX_SAMPLES) % MAX_SAMPLES;
      if (at[idx] >= f && at[idx] < t) {
        out.add(rate[idx]);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Follows a resize of the level: the curve starts again, since it described the old size. */
  public synchronized void resized(long capacity) {
    ghosts.resize(capacity);
    hitsAtResize = hits.getAsLong();
    missesAtResize = misses.getAsLong();
  }

  /** The curve counted since the last resize. */
  public synchronized L1Curve curve(long capacity) {
    return new L1Curve(capacity, hits.getAsLong() - hitsAtResize, misses.getAsLong() - missesAtResize,
        GhostList.STEPS.clone(), ghosts.extraHits());
  }
}
