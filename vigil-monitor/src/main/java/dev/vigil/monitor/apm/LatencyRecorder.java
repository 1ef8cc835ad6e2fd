package dev.vigil.monitor.apm;

import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.Histogram;

/**
 * Durations of one name: lifetime count, errors, slow calls and mean, plus percentiles, maximum and
 * counts over a sliding window. The window is a ring of slots, one per fifth of it: a call is recorded
 * once, into the slot of its instant (an HdrHistogram with lock-free counts, and the slot's maximum),
 * and a snapshot merges the slots still inside the window. A slot is cleared when time comes round to it
 * again. Recording costs one histogram update, whatever the window.
 */
final class LatencyRecorder {
  private static final int SLOTS = 5;
  private static final long LOWEST_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
  private static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);
  /** Two significant digits: percentiles within 1 % of the true value. */
  private static final int DIGITS = 2;

  private final String name;
  private final Clock clock;
  private final Duration window;
  private final long slotMillis;
  private final Slot[] slots = new Slot[SLOTS];
  private final LongAdder count = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder slow = new LongAdder();
  private final LongAdder totalNanos = new LongAdder();
  /** The slots of the window merged; used by {@link #snapshot} only, under this recorder's lock. */
  private final Histogram merged = new Histogram(LOWEST_NANOS, HIGHEST_NANOS, DIGITS);

  LatencyRecorder(String name, Clock clock, Duration window) {
    this.name = name;
    this.clock = clock;
    this.window = window;
    this.slotMillis = Math.max(1, window.toMillis() / SLOTS);
    for (int i = 0; i < SLOTS; i++) {
      slots[i] = new Slot();
    }
  }

  /** Records one call. */
  void record(long nanos, boolean failed, boolean wasSlow) {
    long n = Math.max(0, nanos);
    Slot slot = slotAt(clock.wallTime());
    slot.histogram.recordValue(Math.min(n, HIGHEST_NANOS));
    long max = slot.max.get();
    while (n > max && !slot.max.compareAndSet(max, n)) {
      max = slot.max.get();
    }
    count.increment();
    totalNanos.add(n);
    if (failed) {
      errors.increment();
      slot.errors.increment();
    }
    if (wasSlow) {
      slow.increment();
    }
  }

  long count() {
    return count.sum();
  }

  long slow() {
    return slow.sum();
  }

  long errors() {
    return errors.sum();
  }

  synchronized LatencyStats snapshot() {
    long c = count.sum();
    long epoch = Math.floorDiv(clock.wallTime(), slotMillis);
    merged.reset();
    long windowMax = 0;
    long re = 0;
    for (Slot s : slots) {
      long e = s.epoch;
      if (e > epoch - SLOTS && e <= epoch) {
        merged.add(s.histogram);
        windowMax = Math.max(windowMax, s.max.get());
        re += s.errors.sum();
      }
    }
    long rc = merged.getTotalCount();
    double p50 = rc == 0 ? 0 : merged.getValueAtPercentile(50) / 1e6;
    double p95 = rc == 0 ? 0 : merged.getValueAtPercentile(95) / 1e6;
    double p99 = rc == 0 ? 0 : merged.getValueAtPercentile(99) / 1e6;
    double total = totalNanos.sum();
    return new LatencyStats(name, c, errors.sum(), slow.sum(), c == 0 ? 0 : round(total / c / 1e6), rc, re,
        rc == 0 ? 0 : round4((double) re / rc), round(p50), round(p95), round(p99), round(windowMax / 1e6),
        window.toSeconds());
  }

  /** The slot of {@code nowMillis}, cleared first when it last held an older part of the ring's time. */
  private Slot slotAt(long nowMillis) {
    long epoch = Math.floorDiv(nowMillis, slotMillis);
    Slot s = slots[(int) Math.floorMod(epoch, (long) SLOTS)];
    if (s.epoch != epoch) {
      synchronized (s) {
        if (s.epoch != epoch) {
          s.histogram.reset();
          s.max.set(0);
          s.errors.reset();
          s.epoch = epoch;
        }
      }
    }
    return s;
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }

  private static double round4(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  /** One fifth of the window: its calls' durations, slowest call and errors. */
  private static final class Slot {
    final AtomicHistogram histogram = new AtomicHistogram(LOWEST_NANOS, HIGHEST_NANOS, DIGITS);
    final AtomicLong max = new AtomicLong();
    final LongAdder errors = new LongAdder();
    volatile long epoch = Long.MIN_VALUE;
  }
}
