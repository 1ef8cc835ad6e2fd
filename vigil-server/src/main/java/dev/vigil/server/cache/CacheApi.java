package dev.vigil.server.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.cache.CacheException;
import dev.vigil.cache.CacheManager;
import dev.vigil.cache.KeyPage;
import dev.vigil.server.audit.AuditEvent;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.HttpServer;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Page;
import dev.vigil.server.http.Params;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The cache over HTTP: stats for viewers; clearing, listing and deleting keys for operators. Listing is
 * operator-only because key names carry data identifiers (user ids, e-mail addresses) that a viewer,
 * who sees only counts in the stats, must not learn.
 */
final class CacheApi {
  /** What a cache key, prefix or tag may hold in a request: printable text up to the library's 1024 characters. */
  private static final String TEXT = "[^\\p{Cntrl}]{1,1024}";
  /** Cursors {@link CacheManager#keys} hands out: a SCAN cursor, a cluster node:cursor pair or an in-memory position. */
  // a SCAN step (on a cluster: node:step), optionally followed by |<base64url of the last key returned>;
  // or m:<key> in memory
  private static final String CURSOR = "([0-9]{1,20}|[0-9]{1,4}:[0-9]{1,20})(\\|[A-Za-z0-9_-]{1,1400})?"
      + "|m:[^\\p{Cntrl}]{1,1024}";

  private CacheApi() {
  }

  /**
   * Adds {@code GET /api/cache/stats}, {@code POST /api/cache/clear}, {@code GET /api/cache/keys} and
   * {@code DELETE /api/cache/keys/{key}}. The clear body is optional: none or {@code {}} clears everything,
   * {@code {"prefix":"user:"}} or {@code {"tag":"prices"}} (one of them, a non-empty string) only those keys.
   * Each clear and delete is audited once with its outcome; a cache that cannot be reached answers
   * 503 {@code cache_unavailable}.
   */
  static void register(Api api, CacheManager cache) {
    api.error(CacheException.class, 503, "cache_unavailable");
    api.get("/api/cache/stats", Role.VIEWER,
        "Cache stats: cache_type, total_keys, hits, misses, total_requests, hit_rate, per level and namespace",
        ctx -> Json.respond(ctx, cache.stats()));
    api.post("/api/cache/clear", Role.OPERATOR,
        "Clear the cache, or only the keys of a prefix or tag (body {\"prefix\":..} or {\"tag\":..})",
        ctx -> clear(ctx, cache));
    api.get("/api/cache/keys", Role.OPERATOR, "List cache keys by prefix, a page at a time (SCAN, never KEYS)",
        ctx -> keys(ctx, cache));
    api.delete("/api/cache/keys/{key}", Role.OPERATOR, "Delete one cache key on every level and node",
        ctx -> delete(ctx, cache));
  }

  private static void clear(Context ctx, CacheManager cache) {
    ObjectNode body = new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8).isBlank()
        ? Json.MAPPER.createObjectNode() : Json.read(ctx, ObjectNode.class);
    body.fieldNames().forEachRemaining(name -> {
      if (!name.equals("prefix") && !name.equals("tag")) {
        throw new ApiException(400, "invalid_body", "unknown field '" + name + "'; allowed: prefix or tag");
      }
    });
    if (body.has("prefix") && body.has("tag")) {
      throw new ApiException(400, "invalid_body", "give either 'prefix' or 'tag', not both");
    }
    String prefix = text(body, "prefix");
    String tag = text(body, "tag");
    String resource;
    LongSupplier action;
    if (prefix != null) {
      resource = "cache:prefix:" + prefix;
      action = () -> cache.invalidatePrefix(prefix);
    } else if (tag != null) {
      resource = "cache:tag:" + tag;
      action = () -> cache.invalidateTag(tag);
    } else {
      resource = "cache:*";
      action = () -> {
        cache.clear();
        return -1;
      };
    }
    long removed = run(ctx, "cache.clear", resource, action);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("success", true);
    answer.put("message", "Cache cleared successfully");
    if (removed >= 0) {
      answer.put("removed", removed);
    }
    Json.respond(ctx, answer);
  }

  private static void keys(Context ctx, CacheManager cache) {
    String prefix = Params.textParam(ctx, "prefix", TEXT, "printable text up to 1024 characters", "");
    String cursor = Params.textParam(ctx, "cursor", CURSOR, "a next_cursor from a previous page", "0");
    int limit = Page.limit(ctx);
    KeyPage page;
    try {
      page = cache.keys(prefix, cursor, limit);
    } catch (IllegalArgumentException e) {
      throw ApiException.badParameter("cursor", "a next_cursor from a previous page");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("prefix", prefix);
    Json.respond(ctx, Page.of(page.keys(), page.finished() ? null : page.cursor()).into(body, "keys"));
  }

  private static void delete(Context ctx, CacheManager cache) {
    String key = ctx.pathParam("key");
    if (!key.matches(TEXT) || key.startsWith("__vigil__:")) {
      throw ApiException.badParameter("key", "a cache key: printable text up to 1024 characters, not starting with"
          + " the reserved __vigil__:");
    }
    boolean removed;
    try {
      removed = cache.delete(key);
    } catch (CacheException e) {
      HttpServer.audit(ctx, AuditEvent.failure("cache.delete", "cache:" + key, e.getMessage()));
      throw e;
    }
    if (!removed) {
      HttpServer.audit(ctx, AuditEvent.failure("cache.delete", "cache:" + key, "no such key"));
      throw ApiException.notFound("cache key '" + key + "'");
    }
    HttpServer.audit(ctx, AuditEvent.success("cache.delete", "cache:" + key));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", true);
    body.put("key", key);
    Json.respond(ctx, body);
  }

  private static long run(Context ctx, String action, String resource, LongSupplier work) {
    long removed;
    try {
      removed = work.getAsLong();
    } catch (CacheException e) {
      HttpServer.audit(ctx, AuditEvent.failure(action, resource, e.getMessage()));
      throw e;
    }
    HttpServer.audit(ctx, AuditEvent.success(action, resource).with("removed", removed >= 0 ? Long.toString(removed)
        : null));
    return removed;
  }

  /** A present field as text; an explicit null, a non-string or an empty string is refused, never read as "all". */
  private static String text(ObjectNode body, String field) {
    if (!body.has(field)) {
      return null;
    }
    JsonNode value = body.get(field);
    if (!value.isTextual() || !value.asText().matches(TEXT)) {
      throw new ApiException(400, "invalid_body", "'" + field + "' must be printable text of 1 to 1024 characters");
    }
    return value.asText();
  }
}
