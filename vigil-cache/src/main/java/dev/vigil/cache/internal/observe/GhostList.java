package dev.vigil.cache.internal.observe;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Shadow entries of the in-process level: the hashes of recently evicted keys (a sample of them, one key
 * in {@code sampleEvery} by hash), each with the eviction's sequence number. A miss on a key still here
 * tells how much larger the level would have had to be to keep it: the number of evictions since it left.
 * Summed into buckets of extra size, these hits are the level's miss-ratio curve beyond its current size.
 * Bounded to as many entries as the level holds (so it sees up to double the size); costs one map look-up
 * on an in-process miss, never on a hit.
 */
public final class GhostList {
  /** Extra sizes, as a share of the current size, the curve is kept for. */
  public static final double[] STEPS = {0.25, 0.5, 1.0};
  private static final int MAX_SAMPLED = 4096;

  private final ConcurrentHashMap<Integer, Long> evictedAt = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLongArray hits = new AtomicLongArray(STEPS.length);
  private volatile long capacity;
  private volatile int sampleMask;
  private int[] ring;
  private int ringNext;

  /** Shadows for a level of {@code capacity} entries. */
  public GhostList(long capacity) {
    resize(capacity);
  }

  /** Follows a resize of the level: forgets the shadows and the curve, which described the old size. */
  public synchronized void resize(long newCapacity) {
    this.capacity = newCapacity;
    int every = 1;
    while (newCapacity / every > MAX_SAMPLED) {
      every <<= 1;
    }
    this.sampleMask = every - 1;
    this.ring = new int[(int) Math.max(1, Math.min(MAX_SAMPLED, newCapacity / every))];
    this.ringNext = 0;
    evictedAt.clear();
    for (int i = 0; i < STEPS.length; i++) {
      hits.set(i, 0);
    }
  }

  /** Remembers a key the level evicted for size. */
  public void evicted(String key) {
    long seq = sequence.incrementAndGet();
    int h = key.hashCode();
    if ((spread(h) & sampleMask) != 0) {
      return;
    }
    synchronized (this) {
      int old = ring[ringNext];
      if (old != 0) {
        evictedAt.remove(old);
      }
      int slot = h == 0 ? 1 : h;
      ring[ringNext] = slot;
      ringNext = (ringNext + 1) % ring.length;
      evictedAt.put(slot, seq);
    }
  }

  /** Checks a key the level missed: counts it in the curve when a larger level would have held it. */
  public void missed(String key) {
    int h = key.hashCode();
    if ((spread(h) & sampleMask) != 0) {
      return;
    }
    Long at = evictedAt.remove(h == 0 ? 1 : h);
    if (at == null) {
      return;
    }
    long distance = sequence.get() - at;
    long cap = capacity;
    for (int i = 0; i < STEPS.length; i++) {
      if (distance <= (long) (cap * STEPS[i])) {
        hits.addAndGet(i, sampleMask + 1L);
        return;
      }
    }
  }

  /** Estimated extra hits a level larger by each of {@link #STEPS} would have had (cumulative). */
  public long[] extraHits() {
    long[] out = new long[STEPS.length];
    long sum = 0;
    for (int i = 0; i < STEPS.length; i++) {
      sum += hits.get(i);
      out[i] = sum;
    }
    return out;
  }

  private static int spread(int h) {
    return (h ^ (h >>> 16)) * 0x45d9f3b;
  }
}
