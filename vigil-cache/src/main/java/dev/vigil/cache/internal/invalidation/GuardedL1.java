package dev.vigil.cache.internal.invalidation;

import dev.vigil.cache.internal.memory.L1Entry;
import dev.vigil.cache.internal.memory.MemoryCache;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The in-process level guarded against a classic race: a reader fetches a value from Redis, another node
 * changes it and the invalidation arrives, and only then does the reader store the old value in memory,
 * where it would stay stale until it expires.
 *
 * <p>Every invalidation first bumps a stamp (one per stripe of keys, or a global epoch for prefix and
 * clear), then removes the entry. A reader takes a {@link Ticket} before going to Redis and stores the
 * value with {@link #fill}, which checks the stamps inside the key's atomic write. Whatever the
 * interleaving, an entry read before an invalidation is never readable once that invalidation is done.
 */
public final class GuardedL1 {
  private static final int STRIPES = 4096;

  /** The stamps a reader saw before going to Redis. */
  public record Ticket(long epoch, long stamp) {
  }

  private final MemoryCache memory;
  private final AtomicLongArray stamps = new AtomicLongArray(STRIPES);
  private final AtomicLong epoch = new AtomicLong();

  /** Guards the given in-process level. */
  public GuardedL1(MemoryCache memory) {
    this.memory = memory;
  }

  /** The level itself, for reads and plain writes. */
  public MemoryCache memory() {
    return memory;
  }

  /** The stamps to hand back to {@link #fill} once the value is fetched. */
  public Ticket ticket(String key) {
    return new Ticket(epoch.get(), stamps.get(stripe(key)));
  }

  /** Stores a fetched value unless an invalidation of the key happened since the ticket was taken. */
  public void fill(String key, L1Entry entry, Ticket ticket) {
    if (!changed(key, ticket)) {
      // checked inside the key's atomic write: a stale value put first and removed after would be
      // readable in between, after the invalidation that should have hidden it had been applied
      memory.putIf(key, entry, () -> !changed(key, ticket));
    }
  }

  /** Stores this node's own new value for a key, after invalidating concurrent fills of the old one. */
  public void replace(String key, L1Entry entry) {
    stamps.incrementAndGet(stripe(key));
    memory.put(key, entry);
  }

  /** Drops a key; concurrent fills of it that started earlier are dropped too. */
  public boolean invalidate(String key) {
    stamps.incrementAndGet(stripe(key));
    return memory.remove(key);
  }

  /** Drops keys starting with a prefix; every fill that started earlier is dropped too. */
  public int invalidatePrefix(String prefix) {
    epoch.incrementAndGet();
    return memory.removeIf(k -> k.startsWith(prefix));
  }

  /** Drops everything; every fill that started earlier is dropped too. */
  public void invalidateAll() {
    epoch.incrementAndGet();
    memory.clear();
  }

  private boolean changed(String key, Ticket ticket) {
    return epoch.get() != ticket.epoch() || stamps.get(stripe(key)) != ticket.stamp();
  }

  private static int stripe(String key) {
    int h = key.hashCode();
    h ^= h >>> 16;
    return h & (STRIPES - 1);
  }
}
