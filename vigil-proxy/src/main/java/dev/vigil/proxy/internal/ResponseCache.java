package dev.vigil.proxy.internal;

import dev.vigil.cache.CacheManager;
import dev.vigil.proxy.CacheRule;
import dev.vigil.proxy.PurgeResult;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxy's response cache over the shared {@link CacheManager} (L1 in process, L2 Redis): rules,
 * keys, one fill per key at a time, purges. Keys are {@code proxy:r:<path>?<query>|<variant>}, so a
 * purge by path prefix is a key-prefix purge; tags are {@code proxy:tag:<tag>} and
 * {@code proxy:route:<template>}.
 */
public final class ResponseCache {
  /** Key prefix of cached responses. */
  public static final String KEY_PREFIX = "proxy:r:";
  private static final int MAX_KEY = 1000;

  /** What a fill produced. */
  public record Fill(CachedResponse response, boolean shared, boolean tooLarge, String error, boolean timeout,
      String outcome) {
    static Fill large() {
      return new Fill(null, false, true, null, false, null);
    }

    static Fill failed(String error, boolean timeout, CachedResponse upstreamAnswer) {
      return new Fill(upstreamAnswer, false, false, error, timeout, null);
    }

    static Fill rejected() {
      return new Fill(null, false, false, null, false, "rejected");
    }
  }

  /** A cacheable request: its key and the rule that applies. */
  public record Keyed(String key, CacheRule rule) {
  }

  /** A fill in flight: its future and whether the caller leads it. */
  public record Flight(CompletableFuture<Fill> future, boolean leader) {
  }

  /** The rules in force, first match wins, with their compiled paths; replaced whole, never changed. */
  private record Rules(List<CacheRule> rules, List<PathGlob> globs) {
    static Rules of(List<CacheRule> rules) {
      List<PathGlob> globs = new ArrayList<>();
      for (CacheRule r : rules) {
        globs.add(new PathGlob(r.path()));
      }
      return new Rules(List.copyOf(rules), List.copyOf(globs));
    }
  }

  private final CacheManager cache;
  private final int configured;
  private volatile Rules rules;
  private final ConcurrentHashMap<String, CompletableFuture<Fill>> flights = new ConcurrentHashMap<>();

  /** A cache applying the configured {@code rules} over {@code cache}. */
  public ResponseCache(CacheManager cache, List<CacheRule> rules) {
    this.cache = cache;
    this.configured = rules.size();
    this.rules = Rules.of(rules);
  }

  /** The first rule matching a method and raw path, or null. */
  public CacheRule rule(String method, String path) {
    Rules now = rules;
    List<CacheRule> list = now.rules();
    for (int i = 0; i < list.size(); i++) {
      CacheRule r = list.get(i);
      if (r.methods().contains(method) && now.globs().get(i).matches(path)) {
        return r;
      }
    }
    return null;
  }

  /** Every rule in force: the configured ones first, then those added at run time. */
  public List<CacheRule> rules() {
    return rules.rules();
  }

  /** How many of {@link #rules()} come from the configuration. */
  public int configured() {
    return configured;
  }

  /**
   * Adds a rule after the configured ones and those added before; the next request sees it.
   *
   * @throws IllegalArgumentException when a rule with the same path is in force
   */
  public synchronized void add(CacheRule rule) {
    List<CacheRule> list = new ArrayList<>(rules.rules());
    for (CacheRule r : list) {
      if (r.path().equals(rule.path())) {
        throw new IllegalArgumentException("a cache rule for '" + rule.path() + "' is in force already");
      }
    }
    list.add(rule);
    rules = Rules.of(list);
  }

  /**
   * Removes the rule added at run time for {@code path}; the next request no longer sees it.
   *
   * @return the rule removed, or null when no such rule was added (configured rules are never removed)
   */
  public synchronized CacheRule remove(String path) {
    List<CacheRule> list = new ArrayList<>(rules.rules());
    for (int i = configured; i < list.size(); i++) {
      if (list.get(i).path().equals(path)) {
        CacheRule removed = list.remove(i);
        rules = Rules.of(list);
        return removed;
      }
    }
    return null;
  }

  /**
   * The key of a request under a rule, or null when the request must bypass the cache: it carries
   * credentials ({@code Authorization}, {@code Cookie}) and the rule is not per-user, it asks for a
   * range, or its key would be too long. {@code origin} is the scheme and host the upstream is told
   * the request came to ({@code X-Forwarded-Proto}, {@code X-Forwarded-Host}, {@code Host}): it is part
   * of the key, so an answer built for one host (absolute links, redirects) is never served to
   * requests for another.
   */
  public Keyed key(CacheRule rule, HttpHeaders req, String path, String query, String origin) {
    boolean personal = req.get("Authorization") != null || req.get("Cookie") != null;
    if (personal && !rule.perUser()) {
      return null;
    }
    if (req.get("Range") != null) {
      return null;
    }
    String variant = "-";
    if (!rule.vary().isEmpty() || personal) {
      StringBuilder v = new StringBuilder();
      for (String h : rule.vary()) {
        v.append(h).append('=').append(String.valueOf(req.get(h))).append('\n');
      }
      if (personal) {
        v.append("authorization=").append(String.valueOf(req.get("Authorization"))).append('\n');
        v.append("cookie=").append(String.valueOf(req.get("Cookie"))).append('\n');
      }
      variant = sha256Hex(v.toString()).substring(0, 24);
    }
    String key = KEY_PREFIX + path + (query == null ? "" : "?" + query) + "|" + origin + "|" + variant;
    return key.length() > MAX_KEY ? null : new Keyed(key, rule);
  }

  /** The cached response of a key, if any. */
  public Optional<CachedResponse> get(String key) {
    return cache.get(key, CachedResponse.class);
  }

  /** Stores a response, kept as long as it may be served fresh or stale. */
  public void put(String key, CachedResponse r, CacheRule rule, String route) {
    long keep = r.freshMs() + Math.max(r.staleWhileRevalidateMs(), r.staleIfErrorMs());
    if (r.revalidatable()) {
      keep = Math.max(keep, r.freshMs() * 2);
    }
    Set<String> tags = new HashSet<>();
    for (String t : rule.tags()) {
      tags.add("proxy:tag:" + t);
    }
    tags.add("proxy:route:" + route);
    cache.set(key, r, Duration.ofMillis(Math.max(1000, keep)), tags);
  }

  /** Joins the fill of a key in flight, or starts one (the caller leads it and must complete it). */
  public Flight join(String key) {
    CompletableFuture<Fill> mine = new CompletableFuture<>();
    CompletableFuture<Fill> existing = flights.putIfAbsent(key, mine);
    return existing == null ? new Flight(mine, true) : new Flight(existing, false);
  }

  /** Whether a fill of the key is in flight. */
  public boolean filling(String key) {
    return flights.containsKey(key);
  }

  /** Ends the fill of a key: removes it, then hands the result to every waiter. */
  public void complete(String key, CompletableFuture<Fill> future, Fill fill) {
    flights.remove(key, future);
    future.complete(fill);
  }

  /** Purges cached responses whose path starts with {@code prefix}. */
  public PurgeResult purgePrefix(String prefix) {
    if (prefix == null || !prefix.startsWith("/")) {
      throw new IllegalArgumentException("purge prefix must start with '/', got '" + prefix + "'");
    }
    return new PurgeResult("prefix", prefix, cache.invalidatePrefix(KEY_PREFIX + prefix));
  }

  /** Purges cached responses stored under a rule tag. */
  public PurgeResult purgeTag(String tag) {
    if (tag == null || tag.isBlank()) {
      throw new IllegalArgumentException("purge tag must not be blank");
    }
    return new PurgeResult("tag", tag, cache.invalidateTag("proxy:tag:" + tag));
  }

  /** Purges cached responses of a route template. */
  public PurgeResult purgeRoute(String route) {
    if (route == null || !route.startsWith("/")) {
      throw new IllegalArgumentException("purge route must be a route template starting with '/', got '" + route + "'");
    }
    return new PurgeResult("route", route, cache.invalidateTag("proxy:route:" + route));
  }

  /** Purges every cached response. */
  public PurgeResult purgeAll() {
    return new PurgeResult("all", "", cache.invalidatePrefix(KEY_PREFIX));
  }

  /** A strong ETag for a body. */
  public static String etagOf(byte[] body, int off, int len) {
    return "\"" + HexFormat.of().formatHex(sha256(body, off, len), 0, 16) + "\"";
  }

  /**
   * Whether an If-None-Match value matches an ETag (weak comparison, as RFC 9110 asks for GET); the tag
   * of the compressed answer matches too.
   */
  public static boolean noneMatch(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null || etag == null) {
      return false;
    }
    String mine = etag.startsWith("W/") ? etag.substring(2) : etag;
    for (String part : ifNoneMatch.split(",")) {
      String t = part.trim();
      if (t.equals("*")) {
        return true;
      }
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.endsWith(Compression.ETAG_SUFFIX + "\"")) {
        t = t.substring(0, t.length() - Compression.ETAG_SUFFIX.length() - 1) + "\"";
      }
      if (t.equals(mine)) {
        return true;
      }
    }
    return false;
  }

  private static String sha256Hex(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return HexFormat.of().formatHex(sha256(bytes, 0, bytes.length));
  }

  private static byte[] sha256(byte[] bytes, int off, int len) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(bytes, off, len);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
