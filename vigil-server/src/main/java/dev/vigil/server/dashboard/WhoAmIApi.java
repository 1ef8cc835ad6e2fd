package dev.vigil.server.dashboard;

import dev.vigil.server.auth.Role;
import dev.vigil.server.auth.TokenInfo;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.HttpServer;
import dev.vigil.server.http.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/whoami}: the caller's token id, name, role and the roles whose routes it may use
 * ({@code roles}), so the dashboard shows only what it may use by matching them against each route's
 * {@code x-vigil-role} in the OpenAPI description.
 */
final class WhoAmIApi {
  private WhoAmIApi() {
  }

  /** Adds the route (any valid token). */
  static void register(Api api) {
    api.get("/api/whoami", Role.VIEWER, "The calling token's id, name, role and the roles whose routes it may use",
        ctx -> {
          TokenInfo me = HttpServer.caller(ctx);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("id", me.id());
          body.put("name", me.name());
          body.put("role", me.role().label());
          body.put("roles", me.role().granted().stream().sorted().map(Role::label).toList());
          Json.respond(ctx, body);
        });
  }
}
