package dev.vigil.server.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.server.audit.AuditEvent;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.HttpServer;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Page;
import java.util.LinkedHashMap;
import java.util.Map;

/** Token management over HTTP, for admins. */
final class TokenApi {
  private TokenApi() {
  }

  /**
   * The body of {@code POST /api/tokens}.
   *
   * @param name what the token is for
   * @param role viewer, operator or admin
   */
  public record CreateRequest(@JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "role", required = true) String role) {
  }

  /** Adds {@code GET /api/tokens}, {@code POST /api/tokens} and {@code DELETE /api/tokens/{id}}; changes are audited. */
  static void register(Api api, TokenStore tokens, Authenticator authenticator) {
    api.get("/api/tokens", Role.ADMIN, "List tokens (never their secrets)",
        ctx -> Json.respond(ctx, Page.of(ctx, tokens.list()).body("tokens")));
    api.post("/api/tokens", Role.ADMIN, "Create a token; the secret is in this answer only", ctx -> {
      CreateRequest req = Json.read(ctx, CreateRequest.class);
      Role role;
      try {
        role = Role.parse(req.role());
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "invalid_body", e.getMessage());
      }
      TokenStore.IssuedToken issued;
      try {
        issued = tokens.create(req.name(), role);
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "invalid_body", e.getMessage());
      }
      HttpServer.audit(ctx, AuditEvent.success("token.create", "token:" + issued.info().id())
          .with("role", role.label()));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("token", issued.token());
      body.put("info", issued.info());
      Json.respond(ctx, 201, body);
    });
    api.delete("/api/tokens/{id}", Role.ADMIN, "Revoke a token", ctx -> {
      String id = ctx.pathParam("id");
      if (!id.matches("[a-z0-9]{10}")) {
        throw ApiException.badParameter("id", "a token id of 10 lower-case letters or digits");
      }
      if (id.equals(HttpServer.caller(ctx).id())) {
        throw new ApiException(409, "conflict", "a token cannot revoke itself");
      }
      if (!tokens.revoke(id)) {
        throw ApiException.notFound("active token " + id);
      }
      authenticator.forget(id);
      HttpServer.audit(ctx, AuditEvent.success("token.revoke", "token:" + id));
      Json.respond(ctx, Map.of("success", true));
    });
  }
}
