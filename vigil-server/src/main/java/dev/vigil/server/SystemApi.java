package dev.vigil.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.cache.CacheManager;
import dev.vigil.server.auth.Role;
import dev.vigil.server.feature.Health;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.OpenApiDocument;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Liveness, version and the OpenAPI description. */
final class SystemApi {
  private static final Duration OPENAPI_TTL = Duration.ofMinutes(10);
  /**
   * How long one answer of {@code /api/info} serves: some health checks query a database, and a client
   * polling in a loop must not turn into a query per request.
   */
  static final Duration INFO_TTL = Duration.ofSeconds(1);

  private SystemApi() {
  }

  /**
   * Adds {@code GET /api/health} (public), {@code GET /api/info} and {@code GET /api/openapi.json}.
   *
   * @param features which features are on, for {@code /api/info}
   * @param health each health check's current state, for {@code /api/info}
   * @param cache holds the OpenAPI document, built once per version and route table rather than per request
   */
  static void register(Api api, Clock clock, Instant startedAt, Supplier<Map<String, Boolean>> features,
      Supplier<Map<String, Health>> health, CacheManager cache) {
    byte[] up = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
    api.get("/api/health", null, "Liveness: {\"status\":\"UP\"} while the server answers",
        ctx -> ctx.contentType("application/json").result(up));
    String started = startedAt.toString();
    String javaVersion = System.getProperty("java.version");
    // the answer changes at most once a second (uptime in whole seconds; health checks run at most that
    // often), so it is built and serialized once a second and served as bytes in between
    Supplier<byte[]> body = new Recent<>(clock, INFO_TTL, () -> {
      Map<String, Object> checks = new LinkedHashMap<>();
      health.get().forEach((name, h) -> checks.put(name, Map.of("status", h.status().name().toLowerCase(Locale.ROOT),
          "message", h.message())));
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("name", "vigil");
      info.put("version", Version.get());
      info.put("started_at", started);
      info.put("uptime_seconds", Duration.between(startedAt, clock.instant()).toSeconds());
      info.put("java_version", javaVersion);
      info.put("features", features.get());
      info.put("health", checks);
      try {
        return Json.MAPPER.writeValueAsBytes(info);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot serialize /api/info: " + e.getOriginalMessage(), e);
      }
    });
    api.get("/api/info", Role.VIEWER, "Version, uptime and enabled features",
        ctx -> Json.respondSerialized(ctx, 200, body.get()));
    api.get("/api/openapi.json", Role.VIEWER, "This OpenAPI description, with each route's role",
        ctx -> Json.respond(ctx, cache.get(openApiKey(api), Map.class, OPENAPI_TTL,
            k -> OpenApiDocument.of(api, Version.get()))));
  }

  /** The OpenAPI document's cache key: one per version and route table, so nodes of another build never share it. */
  private static String openApiKey(Api api) {
    StringBuilder routes = new StringBuilder();
    api.routes().forEach(r -> routes.append(r.method()).append(' ').append(r.path()).append(' ').append(r.role())
        .append('\n'));
    return "system:openapi:" + Version.get() + ":" + Integer.toHexString(routes.toString().hashCode());
  }

  /** A value computed at most once per {@code ttl}; callers racing at expiry may both compute it. */
  private static final class Recent<T> implements Supplier<T> {
    private final Clock clock;
    private final Duration ttl;
    private final Supplier<T> compute;
    private final AtomicReference<Stamped<T>> last = new AtomicReference<>();

    Recent(Clock clock, Duration ttl, Supplier<T> compute) {
      this.clock = clock;
      this.ttl = ttl;
      this.compute = compute;
    }

    @Override
    public T get() {
      Instant now = clock.instant();
      Stamped<T> s = last.get();
      if (s == null || !now.isBefore(s.at().plus(ttl)) || now.isBefore(s.at())) {
        s = new Stamped<>(now, compute.get());
        last.set(s);
      }
      return s.value();
    }
  }

  private record Stamped<T>(Instant at, T value) {
  }
}
