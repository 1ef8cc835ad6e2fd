package dev.vigil.optimizer.response;

import dev.vigil.proxy.RouteSample;
import java.util.Arrays;
import java.util.List;

/**
 * What a route's sampled GET/HEAD requests in a window say about caching it.
 *
 * @param calls sampled GET/HEAD requests
 * @param upstreamCalls those the upstream answered (not from the cache)
 * @param p95Ms 95th percentile latency of the upstream's answers, ms (0 without any)
 * @param repeats upstream answers to a URL seen before (answers compared)
 * @param changes of those, answers that differed from the previous one
 * @param personal answers marked personal or not storable
 * @param credentialed requests carrying Authorization or Cookie
 * @param errors answers with a 5xx status
 */
record RouteFigures(int calls, int upstreamCalls, double p95Ms, int repeats, int changes, int personal,
    int credentialed, int errors) {

  static RouteFigures of(List<RouteSample> samples) {
    int calls = 0;
    int repeats = 0;
    int changes = 0;
    int personal = 0;
    int credentialed = 0;
    int errors = 0;
    double[] upstream = new double[samples.size()];
    int n = 0;
    for (RouteSample s : samples) {
      if (!s.method().equals("GET") && !s.method().equals("HEAD")) {
        continue;
      }
      calls++;
      if (s.personal()) {
        personal++;
      }
      if (s.credentials()) {
        credentialed++;
      }
      if (s.status() >= 500) {
        errors++;
      }
      if (s.fromCache()) {
        continue;
      }
      upstream[n++] = s.ms();
      if (s.answerChanged() != null) {
        repeats++;
        if (s.answerChanged()) {
          changes++;
        }
      }
    }
    return new RouteFigures(calls, n, p95(Arrays.copyOf(upstream, n)), repeats, changes, personal, credentialed,
        errors);
  }

  /** The 95th percentile (nearest rank), 0 for no values. */
  static double p95(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.max(0, (int) Math.ceil(0.95 * sorted.length) - 1)];
  }
}
