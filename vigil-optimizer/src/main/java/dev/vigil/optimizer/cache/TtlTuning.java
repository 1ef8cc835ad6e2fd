package dev.vigil.optimizer.cache;

import dev.vigil.cache.CacheManager;
import dev.vigil.cache.observe.KeyLoads;
import dev.vigil.optimizer.Family;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.Proposal;
import dev.vigil.optimizer.Tuning;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Tunes the TTL of loaded values per cache namespace (keys {@code namespace:…}; per key would need a
 * loader-level setting the callers do not have, and a namespace is usually one kind of data). When
 * reloads (nearly) always bring back the value already cached, the TTL is doubled (fewer loads); when many bring
 * back a changed value, readers were served stale data for part of the TTL, so it is halved. Reversible
 * and non-blocking ({@link Level#MEDIUM}); undo restores the previous override or none.
 */
public final class TtlTuning implements Tuning {
  /** Fewest reloads seen in a namespace before its TTL is judged, by default. */
  public static final int DEFAULT_MIN_RELOADS = 10;
  /** Share of reloads with a changed value from which the TTL is shortened, by default. */
  public static final double DEFAULT_STALE_SHARE = 0.5;
  /**
   * Largest share of reloads with a changed value that still lengthens the TTL (a value that changes
   * once in a long while should not keep its TTL short forever).
   */
  public static final double MAX_CHANGED_SHARE_TO_LENGTHEN = 0.02;
  /** Longest TTL it sets. */
  public static final Duration MAX_TTL = Duration.ofDays(1);
  /** Shortest TTL it sets. */
  public static final Duration MIN_TTL = Duration.ofSeconds(1);
  private static final String PREVIOUS = "previous_override_ms";

  private final CacheManager cache;
  private final int minReloads;
  private final double staleShare;

  /**
   * A tuning over {@code cache}.
   *
   * @throws IllegalArgumentException for fewer than 2 reloads or a share outside (0, 1]
   */
  public TtlTuning(CacheManager cache, int minReloads, double staleShare) {
    this.cache = Objects.requireNonNull(cache, "cache");
    if (minReloads < 2 || !(staleShare > 0 && staleShare <= 1)) {
      throw new IllegalArgumentException("TTL tuning needs at least 2 reloads and a share in (0, 1]; got "
          + minReloads + ", " + staleShare);
    }
    this.minReloads = minReloads;
    this.staleShare = staleShare;
  }

  @Override
  public String name() {
    return "cache.ttl";
  }

  @Override
  public Family family() {
    return Family.CACHE;
  }

  @Override
  public List<Proposal> propose() {
    Map<String, List<KeyLoads>> byNamespace = new TreeMap<>();
    cache.loadReports().forEach(k -> byNamespace.computeIfAbsent(k.namespace(), n -> new ArrayList<>()).add(k));
    List<Proposal> out = new ArrayList<>();
    byNamespace.forEach((ns, keys) -> {
      long unchanged = keys.stream().mapToLong(KeyLoads::unchanged).sum();
      long changed = keys.stream().mapToLong(KeyLoads::changed).sum();
      long reloads = unchanged + changed;
      if (reloads < minReloads) {
        return;
      }
      long[] ttls = keys.stream().mapToLong(KeyLoads::ttlMillis).sorted().toArray();
      long current = ttls[ttls.length / 2];
      long previous = cache.ttlOverride(ns).map(Duration::toMillis).orElse(-1L);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("namespace", ns);
      details.put("from_ms", current);
      details.put(PREVIOUS, previous);
      details.put("unchanged_reloads", unchanged);
      details.put("changed_reloads", changed);
      details.put("keys", keys.size());
      if (changed <= MAX_CHANGED_SHARE_TO_LENGTHEN * reloads && current < MAX_TTL.toMillis()) {
        long to = Math.min(MAX_TTL.toMillis(), current * 2);
        details.put("to_ms", to);
        out.add(new Proposal("cache:ttl:" + ns + ":longer", Family.CACHE, "lengthen_ttl", Level.MEDIUM,
            "cache namespace " + ns + ": TTL " + human(current) + " → " + human(to),
            String.format(Locale.ROOT, "%d of %d reloads of %d key(s) brought back the value already cached",
                unchanged, reloads, keys.size()), "seconds between loads of a key in " + ns, details));
      } else if (changed >= staleShare * reloads && current > MIN_TTL.toMillis()) {
        long to = Math.max(MIN_TTL.toMillis(), current / 2);
        details.put("to_ms", to);
        out.add(new Proposal("cache:ttl:" + ns + ":shorter", Family.CACHE, "shorten_ttl", Level.MEDIUM,
            "cache namespace " + ns + ": TTL " + human(current) + " → " + human(to),
            String.format(Locale.ROOT, "%d of %d reloads of %d key(s) brought back a changed value (%.0f%%): readers"
                + " were served stale values", changed, reloads, keys.size(), 100.0 * changed / reloads),
            "age of values found changed on reload (s) in " + ns, details));
      }
    });
    return out;
  }

  @Override
  public Map<String, String> apply(Proposal proposal) {
    String ns = namespace(proposal);
    long previous = cache.ttlOverride(ns).map(Duration::toMillis).orElse(-1L);
    cache.ttlOverride(ns, Duration.ofMillis(((Number) proposal.details().get("to_ms")).longValue()));
    return Map.of(PREVIOUS, Long.toString(previous));
  }

  /** Sets the TTL override again after a restart. */
  @Override
  public void restore(Proposal proposal, Map<String, String> undo) {
    cache.ttlOverride(namespace(proposal), Duration.ofMillis(((Number) proposal.details().get("to_ms")).longValue()));
  }

  @Override
  public void undo(Proposal proposal, Map<String, String> undo) {
    String ns = namespace(proposal);
    long previous = undo.containsKey(PREVIOUS) ? Long.parseLong(undo.get(PREVIOUS))
        : ((Number) proposal.details().get(PREVIOUS)).longValue();
    if (previous > 0) {
      cache.ttlOverride(ns, Duration.ofMillis(previous));
    } else {
      cache.clearTtlOverride(ns);
    }
  }

  /**
   * A longer TTL: seconds between loads of each key (higher is better). A shorter one: the age of values
   * found changed on reload, the longest a reader may have seen them stale (lower is better).
   */
  @Override
  public Probe probe(Proposal proposal) {
    String prefix = namespace(proposal) + ":";
    if ("lengthen_ttl".equals(proposal.kind())) {
      return new LoadProbe(cache, proposal.metric(), false, k -> k.startsWith(prefix),
          e -> e.sincePreviousLoadMillis() < 0 ? Double.NaN : e.sincePreviousLoadMillis() / 1000.0);
    }
    return stale(proposal.metric(), prefix);
  }

  /** A longer TTL may serve changed values longer: their age on reload is watched. */
  @Override
  public List<Probe> guards(Proposal proposal) {
    if ("lengthen_ttl".equals(proposal.kind())) {
      String ns = namespace(proposal);
      return List.of(stale("age of values found changed on reload (s) in " + ns, ns + ":"));
    }
    return List.of();
  }

  private Probe stale(String name, String prefix) {
    return new LoadProbe(cache, name, true, k -> k.startsWith(prefix),
        e -> Boolean.TRUE.equals(e.changed()) ? e.sincePreviousLoadMillis() / 1000.0 : Double.NaN);
  }

  private static String namespace(Proposal p) {
    return String.valueOf(p.details().get("namespace"));
  }

  private static String human(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
