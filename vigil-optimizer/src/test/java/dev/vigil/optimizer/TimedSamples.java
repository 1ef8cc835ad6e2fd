package dev.vigil.optimizer;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Real measurements of a workload, stamped by the test's clock: a {@link Probe} over them. */
final class TimedSamples implements Probe {
  private final String name;
  private final Clock clock;
  private final List<Instant> at = new ArrayList<>();
  private final List<Double> values = new ArrayList<>();

  TimedSamples(String name, Clock clock) {
    this.name = name;
    this.clock = clock;
  }

  /** Runs {@code work} and records how long it took in milliseconds. */
  synchronized void time(Callable<?> work) throws Exception {
    long start = System.nanoTime();
    work.call();
    at.add(clock.instant());
    values.add((System.nanoTime() - start) / 1e6);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean lowerIsBetter() {
    return true;
  }

  @Override
  public synchronized double[] samples(Instant from, Instant to) {
    List<Double> in = new ArrayList<>();
    for (int i = 0; i < at.size(); i++) {
      if (!at.get(i).isBefore(from) && at.get(i).isBefore(to)) {
        in.add(values.get(i));
      }
    }
    return in.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
