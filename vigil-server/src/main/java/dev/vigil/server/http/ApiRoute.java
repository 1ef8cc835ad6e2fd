package dev.vigil.server.http;

import dev.vigil.server.auth.Role;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Objects;
import java.util.Set;

/**
 * One route of the API: what it answers, who may call it and what it does. The same table drives
 * the Javalin registration, the auth guard and the OpenAPI description, so they cannot drift.
 *
 * @param method HTTP method
 * @param path Javalin path, with {@code {name}} path parameters
 * @param roles the roles allowed to call it; empty for a public route
 * @param summary one line for the OpenAPI description
 * @param handler what it does
 */
public record ApiRoute(HandlerType method, String path, Set<Role> roles, String summary, Handler handler) {

  /** Validates the route and freezes its roles. */
  public ApiRoute {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(handler, "handler");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("route path must start with '/': " + path);
    }
  }

  /**
   * A route that {@code role} and every role above it may call.
   *
   * @param role the least role needed, or {@code null} for a public route
   */
  public ApiRoute(HandlerType method, String path, Role role, String summary, Handler handler) {
    this(method, path, role == null ? Set.of() : role.andAbove(), summary, handler);
  }

  /** Whether the route needs no token. */
  public boolean isPublic() {
    return roles.isEmpty();
  }

  /** Whether a token of {@code role} may call the route. */
  public boolean allows(Role role) {
    return isPublic() || roles.contains(role);
  }

  /**
   * The least role allowed (shown as OpenAPI's {@code x-vigil-role} and in the 403 answer), or
   * {@code null} for a public route.
   */
  public Role role() {
    Role least = null;
    for (Role r : roles) {
      if (least == null || r.compareTo(least) < 0) {
        least = r;
      }
    }
    return least;
  }
}
