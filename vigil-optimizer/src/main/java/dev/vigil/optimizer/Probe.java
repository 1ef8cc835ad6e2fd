package dev.vigil.optimizer;

import java.time.Instant;

/**
 * One measured metric: per-event samples (e.g. each call's duration, or one mean per collection
 * interval) between two instants. The optimizer compares the samples of a baseline window before a
 * change with those of an observation window after it.
 */
public interface Probe {
  /** What is measured, with its unit, e.g. {@code mean time of 2 query shapes (ms)}. */
  String name();

  /** Whether lower values are better (latencies) or higher ones (hit rates). */
  boolean lowerIsBetter();

  /**
   * The samples taken in {@code [from, to)}.
   *
   * @throws Exception when the source cannot be read
   */
  double[] samples(Instant from, Instant to) throws Exception;
}
