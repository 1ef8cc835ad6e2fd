package dev.vigil.cache.internal.observe;

import dev.vigil.cache.observe.KeyLoads;
import dev.vigil.cache.observe.LoadEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Watches loader calls (the slow path only; reads are never touched): per key, how often it is reloaded
 * right after its value expired, whether reloads bring back the same value or a changed one, and the
 * latest loader and TTL so the key can be refreshed ahead of expiry. Keeps the most recently loaded
 * {@link #MAX_KEYS} keys and their last {@link #MAX_EVENTS} loads each.
 */
public final class LoadTracker {
  /** Most keys watched. */
  public static final int MAX_KEYS = 1000;
  /** Most loads remembered per key. */
  public static final int MAX_EVENTS = 32;

  private final Clock clock;
  private final long reloadWindowMillis;
  private final Map<String, KeyState> keys = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, KeyState> eldest) {
      return size() > MAX_KEYS;
    }
  };

  /**
   * A tracker counting a load as a reload after expiry when it comes within {@code reloadWindowMillis}
   * of the previous value's expiry.
   */
  public LoadTracker(Clock clock, long reloadWindowMillis) {
    this.clock = clock;
    this.reloadWindowMillis = reloadWindowMillis;
  }

  /** The latest state of one key. */
  private static final class KeyState {
    final String namespace;
    long loads;
    long reloadsAfterExpiry;
    long unchanged;
    long changed;
    long totalLoadMillis;
    long lastLoadAt;
    long expiresAt;
    long ttlMillis;
    long valueHash;
    Function<String, ?> loader;
    final Deque<LoadEvent> events = new ArrayDeque<>();

    KeyState(String namespace) {
      this.namespace = namespace;
    }
  }

  /**
   * Records a load that stored a value.
   *
   * @param valueHash a hash of the value's encoded form
   * @param background whether no reader waited for it (early refresh, warming)
   */
  public synchronized void loaded(String key, String namespace, long valueHash, long ttlMillis, long loadMillis,
      boolean background, Function<String, ?> loader) {
    long now = clock.millis();
    KeyState s = keys.computeIfAbsent(key, k -> new KeyState(namespace));
    boolean first = s.loads == 0;
    boolean afterExpiry = !first && now >= s.expiresAt;
    Boolean changed = null;
    if (!first && (afterExpiry || background)) {
      changed = valueHash != s.valueHash;
      if (changed) {
        s.changed++;
      } else {
        s.unchanged++;
      }
    }
    if (afterExpiry && !background && now - s.expiresAt <= reloadWindowMillis) {
      s.reloadsAfterExpiry++;
    }
    LoadEvent e = new LoadEvent(Instant.ofEpochMilli(now), key, background, loadMillis, first ? -1 : now - s.lastLoadAt,
        afterExpiry, changed);
    s.events.addLast(e);
    if (s.events.size() > MAX_EVENTS) {
      s.events.removeFirst();
    }
    s.loads++;
    s.totalLoadMillis += loadMillis;
    s.lastLoadAt = now;
    s.expiresAt = now + ttlMillis;
    s.ttlMillis = ttlMillis;
    s.valueHash = valueHash;
    s.loader = loader;
  }

  /** What is known of every watched key. */
  public synchronized List<KeyLoads> keys(Set<String> warmed) {
    List<KeyLoads> out = new ArrayList<>(keys.size());
    for (Map.Entry<String, KeyState> en : new ArrayList<>(keys.entrySet())) {
      KeyState s = en.getValue();
      out.add(new KeyLoads(en.getKey(), s.namespace, s.loads, s.reloadsAfterExpiry, s.unchanged, s.changed,
          s.ttlMillis, Instant.ofEpochMilli(s.lastLoadAt), s.loads == 0 ? 0 : (double) s.totalLoadMillis / s.loads,
          warmed.contains(en.getKey())));
    }
    return out;
  }

  /** The loads of keys matching {@code keyMatches} in {@code [from, to)}, oldest first per key. */
  public synchronized List<LoadEvent> events(Predicate<String> keyMatches, Instant from, Instant to) {
    List<LoadEvent> out = new ArrayList<>();
    for (Map.Entry<String, KeyState> en : keys.entrySet()) {
      if (!keyMatches.test(en.getKey())) {
        continue;
      }
      for (LoadEvent e : en.getValue().events) {
        if (!e.at().isBefore(from) && e.at().isBefore(to)) {
          out.add(e);
        }
      }
    }
    return out;
  }

  /** What warming needs to reload a key ahead of expiry, or null when the key is not watched. */
  public synchronized Reload reload(String key) {
    KeyState s = keys.get(key);
    if (s == null || s.loader == null) {
      return null;
    }
    return new Reload(s.loader, s.ttlMillis, s.expiresAt, s.loads == 0 ? 0 : s.totalLoadMillis / s.loads);
  }

  /** Forgets the keys given (e.g. after a clear), or every key for an empty collection. */
  public synchronized void forget(Collection<String> gone) {
    if (gone.isEmpty()) {
      keys.clear();
    } else {
      gone.forEach(keys::remove);
    }
  }

  /**
   * What reloading one key takes.
   *
   * @param loader the loader last used for it
   * @param ttlMillis the TTL it was last stored with
   * @param expiresAt when its value expires
   * @param meanLoadMillis how long its loads take
   */
  public record Reload(Function<String, ?> loader, long ttlMillis, long expiresAt, long meanLoadMillis) {
  }
}
