package dev.vigil.cache.stats;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live counters of one cache, cheap to bump from many threads (striped {@link LongAdder}s). A read
 * that finds a value counts as a hit of the level that answered it; a read no level answers counts as
 * one miss overall. Namespaces are capped at {@link #MAX_NAMESPACES}; later ones are counted under
 * {@code other} so hostile keys cannot grow this map without bound.
 */
public final class CacheCounters {
  /** Most namespaces tracked separately. */
  public static final int MAX_NAMESPACES = 1000;

  /**
   * Hits (by level) and misses of one namespace. The cache-wide hit and miss totals are sums over the
   * namespaces, so an in-process hit costs a single counter increment.
   */
  public static final class Namespace {
    private final LongAdder l1Hits = new LongAdder();
    private final LongAdder l2Hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** Counts a read the in-process level answered. */
    public void l1Hit() {
      l1Hits.increment();
    }

    /** Counts a read Redis answered. */
    public void l2Hit() {
      l2Hits.increment();
    }

    /** Counts a read no level answered. */
    public void miss() {
      misses.increment();
    }

    NamespaceStats snapshot() {
      long h = l1Hits.sum() + l2Hits.sum();
      long m = misses.sum();
      return new NamespaceStats(h, m, h + m, HitRate.percent(h, m));
    }
  }

  /** Reads the in-process level was asked and could not answer. */
  public final LongAdder l1Misses = new LongAdder();
  /** Reads Redis was asked and could not answer. */
  public final LongAdder l2Misses = new LongAdder();
  /** Loader calls that returned. */
  public final LongAdder loads = new LongAdder();
  /** Loader calls that threw. */
  public final LongAdder loadFailures = new LongAdder();
  /** Nanoseconds spent in loader calls. */
  public final LongAdder loadNanos = new LongAdder();
  /** Early refreshes started. */
  public final LongAdder refreshes = new LongAdder();
  /** Entries the in-process level evicted for size or expiry. */
  public final LongAdder evictions = new LongAdder();

  private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
  private final Namespace other = new Namespace();

  /** The namespace of a key: the part before its first colon, or {@code default}. */
  public String namespaceName(String key) {
    int colon = key.indexOf(':');
    return colon <= 0 ? "default" : key.substring(0, colon);
  }

  /** The counters of a key's namespace (the part before its first colon, or {@code default}). */
  public Namespace namespaceOf(String key) {
    String name = namespaceName(key);
    Namespace ns = namespaces.get(name);
    if (ns != null) {
      return ns;
    }
    if (namespaces.size() >= MAX_NAMESPACES) {
      return other;
    }
    return namespaces.computeIfAbsent(name, n -> new Namespace());
  }

  /** Reads the in-process level answered. */
  public long l1Hits() {
    long n = other.l1Hits.sum();
    for (Namespace ns : namespaces.values()) {
      n += ns.l1Hits.sum();
    }
    return n;
  }

  /** Reads Redis answered. */
  public long l2Hits() {
    long n = other.l2Hits.sum();
    for (Namespace ns : namespaces.values()) {
      n += ns.l2Hits.sum();
    }
    return n;
  }

  /** Reads no level answered. */
  public long misses() {
    long n = other.misses.sum();
    for (Namespace ns : namespaces.values()) {
      n += ns.misses.sum();
    }
    return n;
  }

  /** All hits: in-process plus Redis. */
  public long hits() {
    return l1Hits() + l2Hits();
  }

  /** A snapshot of the namespace counters, sorted by name, with {@code other} when the cap was reached. */
  public Map<String, NamespaceStats> namespaceSnapshot() {
    Map<String, NamespaceStats> out = new TreeMap<>();
    namespaces.forEach((name, ns) -> out.put(name, ns.snapshot()));
    NamespaceStats rest = other.snapshot();
    if (rest.totalRequests() > 0) {
      out.put("other", rest);
    }
    return out;
  }

  /** A snapshot of the loader counters. */
  public LoadStats loadSnapshot() {
    long count = loads.sum();
    long failures = loadFailures.sum();
    double totalMs = loadNanos.sum() / 1_000_000.0;
    long calls = count + failures;
    double avg = calls == 0 ? 0.0 : Math.round(totalMs / calls * 100.0) / 100.0;
    return new LoadStats(count, failures, Math.round(totalMs * 100.0) / 100.0, avg, refreshes.sum());
  }
}
