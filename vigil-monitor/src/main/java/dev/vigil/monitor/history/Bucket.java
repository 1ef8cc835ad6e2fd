package dev.vigil.monitor.history;

/**
 * The aggregate of one metric over one time bucket; {@code sum} rather than the mean is kept so that
 * buckets merge exactly.
 *
 * @param metric the metric name
 * @param start bucket start, epoch milliseconds
 * @param min smallest value
 * @param max largest value
 * @param sum sum of values
 * @param count number of values
 */
record Bucket(String metric, long start, double min, double max, double sum, long count) {

  /** A bucket holding one value. */
  static Bucket of(String metric, long start, double value) {
    return new Bucket(metric, start, value, value, value, 1);
  }

  /** This bucket with {@code other}'s values added, keeping this bucket's start. */
  Bucket merge(Bucket other) {
    return new Bucket(metric, start, Math.min(min, other.min), Math.max(max, other.max), sum + other.sum,
        count + other.count);
  }

  /** This bucket moved to {@code newStart}. */
  Bucket at(long newStart) {
    return new Bucket(metric, newStart, min, max, sum, count);
  }

  /** The mean value. */
  double avg() {
    return count == 0 ? 0 : sum / count;
  }
}
