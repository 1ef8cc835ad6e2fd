package dev.vigil.optimizer.response;

import dev.vigil.optimizer.Family;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.Proposal;
import dev.vigil.optimizer.Tuning;
import dev.vigil.proxy.AppProxy;
import dev.vigil.proxy.CacheRule;
import dev.vigil.proxy.RouteStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adds proxy cache rules for hot, idempotent, cacheable application routes: a route is proposed when, in
 * the last window, enough of its GET/HEAD calls reached the application, their p95 is slow, repeated calls
 * to the same URL got the same answer every time (a body checksum), no answer was personal or
 * unstorable ({@code Set-Cookie}, {@code Cache-Control} private/no-store/no-cache, {@code Vary} on
 * credentials) and few requests carry credentials (those bypass a shared rule anyway). Applied at
 * {@link Level#HIGH} as a rule added to the running proxy; undone by removing it, which purges what it
 * cached. Measured by the route's per-request latency through the proxy; guarded by the share of
 * repeated calls that get a new answer, so a rule that hides an application's changes is rolled back.
 */
public final class ProxyCacheTuning implements Tuning {
  /** The tuning's name in the optimizer's history. */
  public static final String NAME = "response.proxy_cache";
  /** Who the proxy lists as having added the rules. */
  public static final String ADDED_BY = "optimizer";
  /** How far back the route samples are read, by default. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
  /** Fewest sampled calls answered by the application in the window, by default. */
  public static final int DEFAULT_MIN_CALLS = 20;
  /** Slowest p95 (ms) that is not worth a rule, by default: the API goal of 50 ms. */
  public static final double DEFAULT_SLOW_P95_MS = 50;
  /** Rule freshness, by default (the application's own {@code Cache-Control} max-age wins). */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
  /** Fewest repeated calls whose answers were compared. */
  public static final int MIN_REPEATS = 5;
  /** Largest share of calls carrying credentials. */
  public static final double MAX_CREDENTIALED_SHARE = 0.1;
  /** The share by which the route's latency must drop for a rule to be kept. */
  public static final double MIN_GAIN = 0.3;

  private final AppProxy proxy;
  private final Clock clock;
  private final Duration window;
  private final int minCalls;
  private final double slowP95Ms;
  private final Duration ttl;
  private final Map<String, Proposal> applied = new ConcurrentHashMap<>();

  /**
   * A tuning over a running proxy.
   *
   * @param window how far back route samples are read
   * @param minCalls fewest sampled calls answered by the application
   * @param slowP95Ms p95 (ms) from which a route is slow
   * @param ttl freshness of the rules it adds
   * @throws IllegalArgumentException for a non-positive window, count, threshold or ttl
   */
  public ProxyCacheTuning(AppProxy proxy, Clock clock, Duration window, int minCalls, double slowP95Ms,
      Duration ttl) {
    this.proxy = Objects.requireNonNull(proxy, "proxy");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (window == null || window.isNegative() || window.isZero() || minCalls < 1 || !(slowP95Ms > 0) || ttl == null
        || ttl.toSeconds() < 1) {
      throw new IllegalArgumentException("proxy cache tuning needs a positive window, call count, p95 threshold and a "
          + "ttl of at least 1 s; got " + window + ", " + minCalls + ", " + slowP95Ms + ", " + ttl);
    }
    this.window = window;
    this.minCalls = minCalls;
    this.slowP95Ms = slowP95Ms;
    this.ttl = ttl;
  }

  /** A tuning with the default window, thresholds and ttl. */
  public static ProxyCacheTuning defaults(AppProxy proxy, Clock clock) {
    return new ProxyCacheTuning(proxy, clock, DEFAULT_WINDOW, DEFAULT_MIN_CALLS, DEFAULT_SLOW_P95_MS, DEFAULT_TTL);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Family family() {
    return Family.RESPONSE_TIME;
  }

  @Override
  public List<Proposal> propose() {
    Instant now = clock.instant();
    List<Proposal> out = new ArrayList<>();
    for (RouteStats r : proxy.routes()) {
      String route = r.route();
      if (!route.startsWith("/")) {
        continue; // "other" and "invalid" are not routes a rule can name
      }
      String path = glob(route);
      Proposal mine = applied.get(path);
      if (mine != null) {
        out.add(mine);
        continue;
      }
      if (proxy.cacheRule("GET", path).isPresent()) {
        continue;
      }
      RouteFigures f = RouteFigures.of(proxy.samples(route, now.minus(window), now));
      if (f.upstreamCalls() >= minCalls && f.p95Ms() >= slowP95Ms && f.repeats() >= MIN_REPEATS && f.changes() == 0
          && f.personal() == 0 && f.credentialed() <= MAX_CREDENTIALED_SHARE * f.calls()) {
        out.add(proposal(route, f, String.format(Locale.ROOT, "p95 %.0f ms over %d calls answered by the application "
            + "in the last %d min (slow from %.0f ms); the same answer on all %d repeated calls; no cookies, private or "
            + "no-store answers", f.p95Ms(), f.upstreamCalls(), window.toMinutes(), slowP95Ms, f.repeats())));
      }
    }
    return out;
  }

  /**
   * A proposal for {@code route} whatever its figures say: for a person who asks for the rule (applied,
   * measured and rolled back like any other), and to show that a harmful rule is rolled back.
   *
   * @throws IllegalArgumentException when {@code route} is not a route template ({@code /...})
   */
  public Proposal forced(String route, String why) {
    if (route == null || !route.startsWith("/")) {
      throw new IllegalArgumentException("a cache rule needs a route template starting with '/', got '" + route + "'");
    }
    Instant now = clock.instant();
    return proposal(route, RouteFigures.of(proxy.samples(route, now.minus(window), now)), why);
  }

  private Proposal proposal(String route, RouteFigures f, String reason) {
    String path = glob(route);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("route", route);
    details.put("path", path);
    details.put("ttl_seconds", ttl.toSeconds());
    details.put("p95_ms", f.p95Ms());
    details.put("calls", f.upstreamCalls());
    details.put("repeats", f.repeats());
    details.put("changes", f.changes());
    details.put(Proposal.MIN_EFFECT, MIN_GAIN);
    return new Proposal("response:proxy_cache:" + path, Family.RESPONSE_TIME, "proxy_cache_rule", Level.HIGH,
        "GET " + route + " (cache rule " + path + ", ttl " + ttl.toSeconds() + " s)", reason,
        RouteProbe.latency(proxy, route).name(), details);
  }

  @Override
  public Map<String, String> apply(Proposal proposal) {
    String path = path(proposal);
    long seconds = ((Number) proposal.details().get("ttl_seconds")).longValue();
    proxy.addCacheRule(CacheRule.of(path, Duration.ofSeconds(seconds)), ADDED_BY);
    applied.put(path, proposal);
    return Map.of("path", path);
  }

  @Override
  public void undo(Proposal proposal, Map<String, String> undo) {
    String path = undo.getOrDefault("path", path(proposal));
    proxy.removeCacheRule(path);
    applied.remove(path);
  }

  /**
   * Adds the rule again after a restart: the proxy keeps rules added at run time in memory only. Does
   * nothing when the rule is in force already.
   */
  @Override
  public void restore(Proposal proposal, Map<String, String> undo) throws Exception {
    if (proxy.cacheRule("GET", path(proposal)).isEmpty()) {
      apply(proposal);
    }
  }

  @Override
  public Probe probe(Proposal proposal) {
    return RouteProbe.latency(proxy, route(proposal));
  }

  @Override
  public List<Probe> guards(Proposal proposal) {
    return List.of(RouteProbe.freshness(proxy, route(proposal)));
  }

  /** The rule path of a route template: each {@code {name}} segment becomes {@code *}. */
  static String glob(String route) {
    return route.replaceAll("\\{[^/}]*}", "*");
  }

  private static String path(Proposal p) {
    return String.valueOf(p.details().get("path"));
  }

  private static String route(Proposal p) {
    return String.valueOf(p.details().get("route"));
  }
}
