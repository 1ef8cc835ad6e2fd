package dev.vigil.cache.observe;

/**
 * The in-process level's hit rate now and, from its shadow entries, estimated for larger sizes: the
 * observed part of its miss-ratio curve. Counted since the level last changed size.
 *
 * @param capacity the level's size in entries
 * @param hits in-process hits counted
 * @param misses in-process misses counted
 * @param steps extra sizes as a share of {@code capacity} (e.g. 0.25, 0.5, 1.0)
 * @param extraHits for each step, the misses a level that much larger would have answered (estimated)
 */
public record L1Curve(long capacity, long hits, long misses, double[] steps, long[] extraHits) {

  /** The observed hit rate (0–1), 0 when nothing was read. */
  public double hitRate() {
    long total = hits + misses;
    return total == 0 ? 0 : (double) hits / total;
  }

  /** The hit rate (0–1) a level larger by {@code steps[step]} would have had. */
  public double estimatedHitRate(int step) {
    long total = hits + misses;
    return total == 0 ? 0 : (double) Math.min(total, hits + extraHits[step]) / total;
  }
}
