package dev.vigil.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One response-cache rule: which requests may be answered from the cache and for how long.
 *
 * <p>{@code path} is a glob over the request path: {@code *} matches within one segment,
 * {@code **} matches across segments ({@code /static/**}). A path pattern ending in {@code /*}
 * matches exactly one more segment. The first rule that matches a request applies.
 *
 * @param path path glob
 * @param methods methods answered from the cache (a subset of GET and HEAD)
 * @param ttl freshness when the upstream does not say ({@code Cache-Control: s-maxage/max-age} win)
 * @param vary request headers whose values select a separate cached copy
 * @param tags tags to purge the copies by
 * @param perUser whether a request carrying {@code Authorization} or {@code Cookie} may be cached;
 *     its copy is then kept per caller (keyed by those headers) and never shared
 * @param staleWhileRevalidate how long past freshness a copy is served while one refresh runs
 *     in the background (the upstream's {@code stale-while-revalidate} wins)
 * @param staleIfError how long past freshness a copy is served when the upstream is down or
 *     answers 5xx (the upstream's {@code stale-if-error} wins)
 */
public record CacheRule(String path, Set<String> methods, Duration ttl, List<String> vary, Set<String> tags,
    boolean perUser, Duration staleWhileRevalidate, Duration staleIfError) {
  /** Methods a rule answers by default. */
  public static final Set<String> DEFAULT_METHODS = Set.of("GET", "HEAD");
  /** Default stale-while-revalidate window. */
  public static final Duration DEFAULT_STALE_WHILE_REVALIDATE = Duration.ZERO;
  /** Default stale-if-error window: a copy may be served for this long after it went stale. */
  public static final Duration DEFAULT_STALE_IF_ERROR = Duration.ofMinutes(5);
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Checks the rule. */
  public CacheRule {
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("cache rule path must start with '/', got '" + path + "'");
    }
    methods = methods == null || methods.isEmpty() ? DEFAULT_METHODS : Set.copyOf(methods.stream()
        .map(m -> m.toUpperCase(Locale.ROOT)).toList());
    for (String m : methods) {
      if (!DEFAULT_METHODS.contains(m)) {
        throw new IllegalArgumentException("cache rule '" + path + "': only GET and HEAD can be cached, got " + m);
      }
    }
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("cache rule '" + path + "': ttl must be positive, got " + ttl);
    }
    vary = vary == null ? List.of() : vary.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
    tags = tags == null ? Set.of() : Set.copyOf(tags);
    for (String t : tags) {
      if (!TAG.matcher(t).matches()) {
        throw new IllegalArgumentException("cache rule '" + path + "': tag must be 1-64 of [A-Za-z0-9._-], got '" + t + "'");
      }
    }
    staleWhileRevalidate = staleWhileRevalidate == null ? DEFAULT_STALE_WHILE_REVALIDATE : staleWhileRevalidate;
    staleIfError = staleIfError == null ? DEFAULT_STALE_IF_ERROR : staleIfError;
    if (staleWhileRevalidate.isNegative() || staleIfError.isNegative()) {
      throw new IllegalArgumentException("cache rule '" + path + "': stale windows must not be negative");
    }
  }

  /** A rule for GET/HEAD with the default stale windows. */
  public static CacheRule of(String path, Duration ttl, String... tags) {
    return new CacheRule(path, DEFAULT_METHODS, ttl, List.of(), Set.of(tags), false, null, null);
  }

  /** This rule with other vary headers. */
  public CacheRule withVary(String... headers) {
    return new CacheRule(path, methods, ttl, List.of(headers), tags, perUser, staleWhileRevalidate, staleIfError);
  }

  /** This rule, allowing per-caller copies of personal responses. */
  public CacheRule withPerUser(boolean on) {
    return new CacheRule(path, methods, ttl, vary, tags, on, staleWhileRevalidate, staleIfError);
  }

  /** This rule with other stale windows. */
  public CacheRule withStale(Duration whileRevalidate, Duration ifError) {
    return new CacheRule(path, methods, ttl, vary, tags, perUser, whileRevalidate, ifError);
  }
}
