package dev.vigil.cache.internal.memory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which in-process keys carry which tag, for tag invalidation when there is no Redis (memory mode, or
 * Redis down). Keys leave the index when their entry leaves the in-process level.
 */
public final class TagIndex {
  private final ConcurrentHashMap<String, Set<String>> keysByTag = new ConcurrentHashMap<>();

  /** Records that {@code key} carries each of {@code tags}. */
  public void add(String key, Set<String> tags) {
    for (String tag : tags) {
      keysByTag.computeIfAbsent(tag, t -> ConcurrentHashMap.newKeySet()).add(key);
    }
  }

  /** Forgets {@code key} under the tags of a removed entry, unless the key's current entry still carries them. */
  public void forget(String key, L1Entry removed, L1Entry current) {
    for (String tag : removed.tags()) {
      if (current != null && current.tags().contains(tag)) {
        continue;
      }
      keysByTag.computeIfPresent(tag, (t, keys) -> {
        keys.remove(key);
        return keys.isEmpty() ? null : keys;
      });
    }
  }

  /** Removes a tag and returns the keys that carried it. */
  public List<String> take(String tag) {
    Set<String> keys = keysByTag.remove(tag);
    return keys == null ? List.of() : List.copyOf(keys);
  }

  /** Forgets everything. */
  public void clear() {
    keysByTag.clear();
  }
}
