package dev.vigil.cache.internal.invalidation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Changes made while Redis was unreachable. They went to memory only, so Redis (and the other nodes)
 * still hold the old values; when Redis returns, these keys are deleted there and announced, so nobody
 * serves the value this node replaced. Bounded: past {@code maxKeys} the record collapses into "clear
 * everything", which is always safe for a cache.
 */
public final class PendingInvalidations {
  /** What to replay, taken atomically. */
  public record Batch(boolean clearAll, List<String> keys, List<String> prefixes, List<String> tags) {
    /** Whether there is nothing to replay. */
    public boolean isEmpty() {
      return !clearAll && keys.isEmpty() && prefixes.isEmpty() && tags.isEmpty();
    }
  }

  private final int maxKeys;
  private boolean clearAll;
  private Set<String> keys = new LinkedHashSet<>();
  private Set<String> prefixes = new LinkedHashSet<>();
  private Set<String> tags = new LinkedHashSet<>();

  /** Records at most {@code maxKeys} keys before collapsing into "clear everything". */
  public PendingInvalidations(int maxKeys) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be >= 1, got " + maxKeys);
    }
    this.maxKeys = maxKeys;
  }

  /** Records a key written or deleted while Redis was down. */
  public synchronized void key(String key) {
    if (clearAll) {
      return;
    }
    keys.add(key);
    if (keys.size() + prefixes.size() + tags.size() > maxKeys) {
      all();
    }
  }

  /** Records a prefix invalidated while Redis was down. */
  public synchronized void prefix(String prefix) {
    if (!clearAll) {
      prefixes.add(prefix);
      if (keys.size() + prefixes.size() + tags.size() > maxKeys) {
        all();
      }
    }
  }

  /** Records a tag invalidated while Redis was down. */
  public synchronized void tag(String tag) {
    if (!clearAll) {
      tags.add(tag);
      if (keys.size() + prefixes.size() + tags.size() > maxKeys) {
        all();
      }
    }
  }

  /** Records a clear made while Redis was down (or an overflow). */
  public synchronized void all() {
    clearAll = true;
    keys = new LinkedHashSet<>();
    prefixes = new LinkedHashSet<>();
    tags = new LinkedHashSet<>();
  }

  /** How many entries wait (1 for a pending clear). */
  public synchronized int size() {
    return clearAll ? 1 : keys.size() + prefixes.size() + tags.size();
  }

  /** Takes everything recorded, leaving the record empty. */
  public synchronized Batch drain() {
    Batch b = new Batch(clearAll, List.copyOf(keys), List.copyOf(prefixes), List.copyOf(tags));
    clearAll = false;
    keys = new LinkedHashSet<>();
    prefixes = new LinkedHashSet<>();
    tags = new LinkedHashSet<>();
    return b;
  }

  /** Puts back a batch whose replay failed (Redis went down again), merged with what came meanwhile. */
  public synchronized void restore(Batch batch) {
    if (batch.clearAll()) {
      all();
      return;
    }
    batch.keys().forEach(this::key);
    batch.prefixes().forEach(this::prefix);
    batch.tags().forEach(this::tag);
  }
}
