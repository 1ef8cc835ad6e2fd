package dev.vigil.server.http;

import dev.vigil.server.auth.Role;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Objects;

/**
 * One route of the API: what it answers, who may call it and what it does. The same table drives
 * the Javalin registration, the auth guard and the OpenAPI description, so they cannot drift.
 *
 * @param method HTTP method
 * @param path Javalin path, with {@code {name}} path parameters
 * @param role the least role needed, or {@code null} for a public route
 * @param summary one line for the OpenAPI description
 * @param handler what it does
 */
public record ApiRoute(HandlerType method, String path, Role role, String summary, Handler handler) {

  /** Validates the route. */
  public ApiRoute {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(handler, "handler");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("route path must start with '/': " + path);
    }
  }

  /** Whether the route needs no token. */
  public boolean isPublic() {
    return role == null;
  }
}
