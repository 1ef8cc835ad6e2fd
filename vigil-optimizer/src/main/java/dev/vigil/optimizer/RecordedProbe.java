package dev.vigil.optimizer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Probe} over values the application records itself (e.g. each call's duration), stamped
 * by a clock and kept for a bounded time, for metrics no other source keeps a history of.
 */
public final class RecordedProbe implements Probe {
  private final String name;
  private final boolean lowerIsBetter;
  private final Clock clock;
  private final Duration keep;
  private final Deque<Instant> at = new ArrayDeque<>();
  private final Deque<Double> values = new ArrayDeque<>();

  /**
   * A probe named {@code name} (with its unit) keeping values for {@code keep}.
   *
   * @throws IllegalArgumentException when {@code keep} is not positive
   */
  public RecordedProbe(String name, boolean lowerIsBetter, Clock clock, Duration keep) {
    this.name = Objects.requireNonNull(name, "name");
    this.lowerIsBetter = lowerIsBetter;
    this.clock = Objects.requireNonNull(clock, "clock");
    if (keep == null || keep.isNegative() || keep.isZero()) {
      throw new IllegalArgumentException("a recorded probe must keep values for a positive time; got " + keep);
    }
    this.keep = keep;
  }

  /** Records one value now. */
  public synchronized void record(double value) {
    Instant now = clock.instant();
    at.addLast(now);
    values.addLast(value);
    Instant oldest = now.minus(keep);
    while (!at.isEmpty() && at.peekFirst().isBefore(oldest)) {
      at.removeFirst();
      values.removeFirst();
    }
  }

  /** Runs {@code work} and records how long it took, in milliseconds. */
  public <E extends Exception> void time(Work<E> work) throws E {
    long start = System.nanoTime();
    work.run();
    record((System.nanoTime() - start) / 1e6);
  }

  /** Work whose duration is recorded. */
  @FunctionalInterface
  public interface Work<E extends Exception> {
    /** Does the work. */
    void run() throws E;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean lowerIsBetter() {
    return lowerIsBetter;
  }

  @Override
  public synchronized double[] samples(Instant from, Instant to) {
    List<Double> in = new ArrayList<>();
    var times = at.iterator();
    var vals = values.iterator();
    while (times.hasNext()) {
      Instant t = times.next();
      double v = vals.next();
      if (!t.isBefore(from) && t.isBefore(to)) {
        in.add(v);
      }
    }
    return in.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
