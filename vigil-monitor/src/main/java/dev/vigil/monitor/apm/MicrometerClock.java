package dev.vigil.monitor.apm;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** Micrometer's clock from a {@link java.time.Clock}, so that a test clock also drives the time windows. */
final class MicrometerClock implements io.micrometer.core.instrument.Clock {
  private final Clock clock;

  private MicrometerClock(Clock clock) {
    this.clock = clock;
  }

  /** The system clock for the system UTC/default clocks (monotonic), else an adapter over {@code clock}. */
  static io.micrometer.core.instrument.Clock of(Clock clock) {
    if (clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone())) {
      return io.micrometer.core.instrument.Clock.SYSTEM;
    }
    return new MicrometerClock(clock);
  }

  @Override
  public long wallTime() {
    return clock.millis();
  }

  @Override
  public long monotonicTime() {
    return TimeUnit.MILLISECONDS.toNanos(clock.millis());
  }
}
