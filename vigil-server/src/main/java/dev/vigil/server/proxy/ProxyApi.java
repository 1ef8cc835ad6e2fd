package dev.vigil.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.proxy.AppProxy;
import dev.vigil.proxy.PurgeResult;
import dev.vigil.server.audit.AuditEvent;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The application proxy over HTTP: route statistics and the summary for viewers, cache purges for
 * operators (audited).
 */
final class ProxyApi {
  private static final Set<String> PURGE_FIELDS = Set.of("prefix", "tag", "route", "all");

  private ProxyApi() {
  }

  static void register(Api api, AppProxy proxy, BiConsumer<Context, AuditEvent> audit) {
    api.get("/api/app/routes", Role.VIEWER,
        "Per route template of the application: count, errors, error rate, p50/p95/p99, bytes, cache hit rate",
        ctx -> Json.respond(ctx, Map.of("routes", proxy.routes())));
    api.get("/api/app/summary", Role.VIEWER,
        "The application proxy at a glance: upstream up/down, totals, cache hit rate, concurrency limit",
        ctx -> Json.respond(ctx, proxy.summary()));
    api.post("/api/app/cache/purge", Role.OPERATOR,
        "Purge cached application responses: body {prefix} | {tag} | {route} | {all: true}",
        ctx -> purge(ctx, proxy, audit));
  }

  private static void purge(Context ctx, AppProxy proxy, BiConsumer<Context, AuditEvent> audit) {
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(ctx.bodyAsBytes());
    } catch (IOException e) {
      throw new ApiException(400, "malformed_json", "request body must be a JSON object: " + e.getMessage());
    }
    if (body == null || !body.isObject() || body.size() != 1) {
      throw new ApiException(400, "invalid_body", "give exactly one of prefix, tag, route or all");
    }
    Iterator<String> names = body.fieldNames();
    String by = names.next();
    if (!PURGE_FIELDS.contains(by)) {
      throw new ApiException(400, "invalid_body", "unknown field '" + by + "'; allowed: prefix, tag, route or all");
    }
    JsonNode v = body.get(by);
    if (by.equals("all") ? !v.isBoolean() || !v.asBoolean() : !v.isTextual() || v.asText().isBlank()
        || v.asText().length() > 1024) {
      throw new ApiException(400, "invalid_body", by.equals("all") ? "'all' must be true"
          : "'" + by + "' must be text of 1 to 1024 characters");
    }
    String value = by.equals("all") ? "" : v.asText();
    String resource = "app-cache:" + by + (value.isEmpty() ? "" : ":" + value);
    PurgeResult result;
    try {
      result = proxy.purge(by, value);
    } catch (IllegalArgumentException | IllegalStateException e) {
      audit.accept(ctx, AuditEvent.failure("app.cache.purge", resource, e.getMessage()));
      throw new ApiException(e instanceof IllegalStateException ? 409 : 400,
          e instanceof IllegalStateException ? "no_cache_rules" : "invalid_body", e.getMessage());
    } catch (RuntimeException e) {
      audit.accept(ctx, AuditEvent.failure("app.cache.purge", resource, e.getMessage()));
      throw new ApiException(503, "cache_unavailable", e.getMessage());
    }
    audit.accept(ctx, AuditEvent.success("app.cache.purge", resource));
    Json.respond(ctx, result);
  }
}
