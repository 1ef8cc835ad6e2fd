package dev.vigil.monitor.apm;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A count over a sliding window made of {@code slots} slots of {@code slotMillis} each: adds go to the
 * current slot, and a slot is cleared when time comes round to it again. Lock-free on the add path
 * except the moment a slot is recycled.
 */
final class RollingCount {
  private final long slotMillis;
  private final int slots;
  private final AtomicLongArray epochs;
  private final LongAdder[] counts;

  RollingCount(long slotMillis, int slots) {
    this.slotMillis = slotMillis;
    this.slots = slots;
    this.epochs = new AtomicLongArray(slots);
    this.counts = new LongAdder[slots];
    for (int i = 0; i < slots; i++) {
      counts[i] = new LongAdder();
      epochs.set(i, Long.MIN_VALUE);
    }
  }

  void add(long nowMillis, long n) {
    long epoch = nowMillis / slotMillis;
    int i = (int) Math.floorMod(epoch, (long) slots);
    if (epochs.get(i) != epoch) {
      synchronized (this) {
        if (epochs.get(i) != epoch) {
          counts[i].reset();
          epochs.set(i, epoch);
        }
      }
    }
    counts[i].add(n);
  }

  /** The sum of the slots within the window ending at {@code nowMillis}. */
  long sum(long nowMillis) {
    long epoch = nowMillis / slotMillis;
    long total = 0;
    for (int i = 0; i < slots; i++) {
      long e = epochs.get(i);
      if (e != Long.MIN_VALUE && e > epoch - slots && e <= epoch) {
        total += counts[i].sum();
      }
    }
    return total;
  }
}
