package dev.vigil.monitor.host;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;

/**
 * Recent readings of cumulative counters (CPU ticks, bytes moved) so that a rate is always taken over
 * at least a minimum window, however often it is asked for: the baseline of a new reading is the newest
 * earlier reading that is at least {@code minWindow} old. Only a handful of readings are kept. Not
 * thread-safe; the owner holds its own lock.
 *
 * @param <T> the counters of one reading
 */
public final class CounterWindow<T> {
  private final long minWindowNanos;
  private final ArrayDeque<Reading<T>> readings = new ArrayDeque<>();

  /**
   * One reading.
   *
   * @param nanos {@link System#nanoTime()} when it was taken
   * @param value the counters
   * @param <T> the counters' type
   */
  public record Reading<T>(long nanos, T value) {
  }

  /** A window whose rates span at least {@code minWindow}. */
  public CounterWindow(Duration minWindow) {
    if (minWindow.isNegative() || minWindow.isZero()) {
      throw new IllegalArgumentException("minimum rate window must be positive: " + minWindow);
    }
    this.minWindowNanos = minWindow.toNanos();
  }

  /**
   * How long to wait before a reading taken at {@code nowNanos} has a baseline at least the minimum
   * window old: zero when one exists or when there is no reading at all.
   */
  public long nanosUntilBaseline(long nowNanos) {
    Reading<T> oldest = readings.peekFirst();
    if (oldest == null) {
      return 0;
    }
    return Math.max(0, minWindowNanos - (nowNanos - oldest.nanos()));
  }

  /** The newest reading at least the minimum window older than {@code nowNanos}, else the oldest one. */
  public Optional<Reading<T>> baseline(long nowNanos) {
    Reading<T> best = readings.peekFirst();
    for (Reading<T> r : readings) {
      if (nowNanos - r.nanos() >= minWindowNanos) {
        best = r;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Adds a reading unless the newest kept one is younger than a quarter of the window (so a tight loop
   * of reads keeps few readings), then drops readings older than the newest usable baseline.
   */
  public void offer(long nowNanos, T value) {
    Objects.requireNonNull(value, "value");
    Reading<T> newest = readings.peekLast();
    if (newest == null || nowNanos - newest.nanos() >= minWindowNanos / 4) {
      readings.addLast(new Reading<>(nowNanos, value));
    }
    Reading<T> keepFrom = null;
    for (Reading<T> r : readings) {
      if (nowNanos - r.nanos() >= minWindowNanos) {
        keepFrom = r;
      }
    }
    if (keepFrom != null) {
      for (Iterator<Reading<T>> it = readings.iterator(); it.hasNext(); ) {
        if (it.next() == keepFrom) {
          break;
        }
        it.remove();
      }
    }
  }

  /** How many readings are kept (for tests of the bound). */
  public int size() {
    return readings.size();
  }
}
