package dev.vigil.bench.cache;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Ranks drawn from a Zipf distribution over {@code 0..n-1} (rank 0 the most popular): probability of rank
 * {@code k} proportional to {@code 1 / (k + 1)^s}. Sampled by inverting a precomputed CDF (binary search),
 * exact and fast enough to pre-generate the request streams the benchmarks replay.
 */
final class Zipf {
  private final double[] cdf;

  Zipf(int n, double s) {
    cdf = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1.0 / Math.pow(k + 1, s);
      cdf[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      cdf[k] /= sum;
    }
  }

  /** {@code count} ranks from a seeded stream, so every run replays the same requests. */
  int[] sample(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      int idx = Arrays.binarySearch(cdf, random.nextDouble());
      out[i] = Math.min(cdf.length - 1, idx >= 0 ? idx : -idx - 1);
    }
    return out;
  }
}
