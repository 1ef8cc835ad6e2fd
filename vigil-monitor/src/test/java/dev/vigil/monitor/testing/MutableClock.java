package dev.vigil.monitor.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock a test moves by hand. */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;

  private MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** A clock standing at {@code start}. */
  public static MutableClock at(Instant start) {
    return new MutableClock(start);
  }

  /** A clock standing at the ISO-8601 instant {@code start}. */
  public static MutableClock at(String start) {
    return new MutableClock(Instant.parse(start));
  }

  /** Moves the clock forward by {@code d}. */
  public void advance(Duration d) {
    now.updateAndGet(t -> t.plus(d));
  }

  /** Sets the clock to {@code t}. */
  public void set(Instant t) {
    now.set(t);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now.get();
  }
}
