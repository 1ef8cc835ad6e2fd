package dev.vigil.cache.internal.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The in-process level: a bounded Caffeine cache (W-TinyLFU eviction) where every entry carries its
 * own expiry ({@link L1Entry#l1ExpiresAtMillis()}). Used as L1 in front of Redis, as the whole cache
 * in memory mode, and as the fallback while Redis is down.
 */
public final class MemoryCache {
  private final Cache<String, L1Entry> cache;
  private final Clock clock;

  /**
   * Creates the level.
   *
   * @param maxEntries most entries kept; the least valuable are evicted beyond it
   * @param clock the time source for expiries (a non-system clock also drives Caffeine's ticker, for tests)
   * @param evictions bumped for every entry dropped for size or expiry
   * @param onRemoval told (asynchronously) of every entry removed or replaced, e.g. to maintain a tag index
   * @param onSizeEviction told (asynchronously) of every key evicted for size, e.g. to keep shadow entries
   */
  public MemoryCache(long maxEntries, Clock clock, LongAdder evictions, BiConsumer<String, L1Entry> onRemoval,
      Consumer<String> onSizeEviction) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1, got " + maxEntries);
    }
    this.clock = clock;
    Ticker ticker = clock.getClass() == Clock.systemUTC().getClass()
        ? Ticker.systemTicker()
        : () -> clock.millis() * 1_000_000L;
    this.cache = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .ticker(ticker)
        .expireAfter(new Expiry<String, L1Entry>() {
          @Override
          public long expireAfterCreate(String key, L1Entry entry, long currentTime) {
            return nanosUntil(entry.l1ExpiresAtMillis());
          }

          @Override
          public long expireAfterUpdate(String key, L1Entry entry, long currentTime, long currentDuration) {
            return nanosUntil(entry.l1ExpiresAtMillis());
          }

          @Override
          public long expireAfterRead(String key, L1Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .removalListener((String key, L1Entry entry, RemovalCause cause) -> {
          if (key != null && entry != null && !entry.tags().isEmpty()) {
            onRemoval.accept(key, entry);
          }
        })
        .evictionListener((String key, L1Entry entry, RemovalCause cause) -> {
          if (cause.wasEvicted()) {
            evictions.increment();
          }
          if (cause == RemovalCause.SIZE && key != null) {
            onSizeEviction.accept(key);
          }
        })
        .build();
  }

  private long nanosUntil(long epochMillis) {
    long remaining = epochMillis - clock.millis();
    return remaining <= 0 ? 0 : Math.multiplyExact(remaining, 1_000_000L);
  }

  /** The entry for a key, or null when absent or expired. */
  public L1Entry get(String key) {
    return cache.getIfPresent(key);
  }

  /** Stores an entry, replacing any previous one. */
  public void put(String key, L1Entry entry) {
    cache.put(key, entry);
  }

  /**
   * Stores an entry if {@code stillValid} holds, decided atomically with any other write or removal of
   * the key: a removal ordered after this call removes the entry, one ordered before it is seen by
   * {@code stillValid}.
   */
  public void putIf(String key, L1Entry entry, BooleanSupplier stillValid) {
    cache.asMap().compute(key, (k, current) -> stillValid.getAsBoolean() ? entry : current);
  }

  /** Drops a key; returns whether an entry was there. */
  public boolean remove(String key) {
    return cache.asMap().remove(key) != null;
  }

  /** Drops every key matching the predicate; returns how many were dropped. */
  public int removeIf(Predicate<String> keyMatches) {
    int[] removed = {0};
    cache.asMap().keySet().removeIf(k -> {
      boolean match = keyMatches.test(k);
      if (match) {
        removed[0]++;
      }
      return match;
    });
    return removed[0];
  }

  /** Drops every entry. */
  public void clear() {
    cache.invalidateAll();
  }

  /** How many entries it holds at most. */
  public long maximumSize() {
    return cache.policy().eviction().orElseThrow().getMaximum();
  }

  /** Changes how many entries it holds at most; shrinking evicts the least valuable entries. */
  public void maximumSize(long maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("cache size must be at least 1 entry; got " + maxEntries);
    }
    cache.policy().eviction().orElseThrow().setMaximum(maxEntries);
  }

  /** Entries held now, after pending expiries are applied. */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /**
   * Keys starting with {@code prefix}, in sorted order, after {@code afterKey} (exclusive; empty for the
   * first page), at most {@code limit}.
   */
  public List<String> keysAfter(String prefix, String afterKey, int limit) {
    List<String> matching = new ArrayList<>();
    for (String k : cache.asMap().keySet()) {
      if (k.startsWith(prefix) && k.compareTo(afterKey) > 0) {
        matching.add(k);
      }
    }
    matching.sort(null);
    return matching.size() <= limit ? matching : new ArrayList<>(matching.subList(0, limit));
  }
}
