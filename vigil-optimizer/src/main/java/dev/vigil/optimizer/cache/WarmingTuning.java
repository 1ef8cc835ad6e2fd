package dev.vigil.optimizer.cache;

import dev.vigil.cache.CacheManager;
import dev.vigil.cache.observe.KeyLoads;
import dev.vigil.optimizer.Family;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.Proposal;
import dev.vigil.optimizer.Tuning;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Warms the keys a reader reloads right after every expiry: the cache reloads them in the background
 * shortly before they expire ({@link CacheManager#warmAhead}), so no reader waits for their loader.
 * One proposal per namespace, reversible and non-blocking ({@link Level#MEDIUM}); undo stops the
 * warming. Measured by the wait readers suffer on loads of those keys.
 */
public final class WarmingTuning implements Tuning {
  /** Fewest reloads after expiry before a key is worth warming, by default. */
  public static final int DEFAULT_MIN_RELOADS = 3;
  /** Smallest share of a key's loads that must be reloads after expiry, by default. */
  public static final double DEFAULT_MIN_SHARE = 0.5;
  /** Most keys warmed per proposal. */
  public static final int MAX_KEYS = 50;

  private final CacheManager cache;
  private final int minReloads;
  private final double minShare;

  /**
   * A tuning over {@code cache}.
   *
   * @throws IllegalArgumentException for fewer than 2 reloads or a share outside (0, 1]
   */
  public WarmingTuning(CacheManager cache, int minReloads, double minShare) {
    this.cache = Objects.requireNonNull(cache, "cache");
    if (minReloads < 2 || !(minShare > 0 && minShare <= 1)) {
      throw new IllegalArgumentException("warming needs at least 2 reloads and a share in (0, 1]; got " + minReloads
          + ", " + minShare);
    }
    this.minReloads = minReloads;
    this.minShare = minShare;
  }

  @Override
  public String name() {
    return "cache.warming";
  }

  @Override
  public Family family() {
    return Family.CACHE;
  }

  @Override
  public List<Proposal> propose() {
    Map<String, List<KeyLoads>> byNamespace = new TreeMap<>();
    for (KeyLoads k : cache.loadReports()) {
      if (!k.warmed() && k.reloadsAfterExpiry() >= minReloads && k.reloadsAfterExpiry() >= minShare * k.loads()) {
        byNamespace.computeIfAbsent(k.namespace(), n -> new ArrayList<>()).add(k);
      }
    }
    List<Proposal> out = new ArrayList<>();
    byNamespace.forEach((ns, keys) -> {
      keys.sort(Comparator.comparingLong(KeyLoads::reloadsAfterExpiry).reversed().thenComparing(KeyLoads::key));
      List<KeyLoads> chosen = keys.subList(0, Math.min(MAX_KEYS, keys.size()));
      KeyLoads top = chosen.get(0);
      long reloads = chosen.stream().mapToLong(KeyLoads::reloadsAfterExpiry).sum();
      long loads = chosen.stream().mapToLong(KeyLoads::loads).sum();
      double meanLoad = chosen.stream().mapToDouble(k -> k.meanLoadMillis() * k.loads()).sum() / Math.max(1, loads);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("namespace", ns);
      details.put("keys", chosen.stream().map(KeyLoads::key).toList());
      details.put("reloads_after_expiry", reloads);
      details.put("loads", loads);
      details.put("mean_load_ms", meanLoad);
      out.add(new Proposal("cache:warm:" + ns, Family.CACHE, "warm_keys", Level.MEDIUM,
          "cache namespace " + ns + ": warm " + chosen.size() + " key(s) ahead of expiry",
          String.format(Locale.ROOT, "%d key(s) reloaded right after expiry %d times out of %d loads (mean load "
              + "%.1f ms; e.g. %s: %d of %d)", chosen.size(), reloads, loads, meanLoad, top.key(),
              top.reloadsAfterExpiry(), top.loads()), "reader wait on loads of " + chosen.size() + " key(s) (ms)",
          details));
    });
    return out;
  }

  @Override
  public Map<String, String> apply(Proposal proposal) {
    List<String> keys = keys(proposal);
    cache.warmAhead(keys);
    return Map.of("keys", String.join("\n", keys));
  }

  /** Warms the keys again after a restart (each from its first load on). */
  @Override
  public void restore(Proposal proposal, Map<String, String> undo) {
    apply(proposal);
  }

  @Override
  public void undo(Proposal proposal, Map<String, String> undo) {
    String stored = undo.get("keys");
    cache.stopWarming(stored != null ? Arrays.asList(stored.split("\n")) : keys(proposal));
  }

  /**
   * The wait of each load of the proposal's keys: its load time when a reader waited for it (at least
   * 1 ms, so a fast loader still counts), 0 when it ran ahead of expiry.
   */
  @Override
  public Probe probe(Proposal proposal) {
    Set<String> keys = Set.copyOf(keys(proposal));
    return new LoadProbe(cache, proposal.metric(), true, keys::contains,
        e -> e.background() ? 0 : Math.max(1, e.loadMillis()));
  }

  @SuppressWarnings("unchecked")
  private static List<String> keys(Proposal p) {
    return ((List<Object>) p.details().get("keys")).stream().map(String::valueOf).collect(Collectors.toList());
  }
}
