package dev.vigil.server.http;

import dev.vigil.server.auth.Role;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of every API route. Feature modules add their routes here; nothing is registered with
 * Javalin any other way, so the auth guard and the OpenAPI description see every route.
 */
public final class Api {
  private final List<ApiRoute> routes = new ArrayList<>();

  /** Adds a GET route readable by {@code role} ({@code null}: public). */
  public Api get(String path, Role role, String summary, Handler handler) {
    return add(new ApiRoute(HandlerType.GET, path, role, summary, handler));
  }

  /** Adds a POST route. */
  public Api post(String path, Role role, String summary, Handler handler) {
    return add(new ApiRoute(HandlerType.POST, path, role, summary, handler));
  }

  /** Adds a PUT route. */
  public Api put(String path, Role role, String summary, Handler handler) {
    return add(new ApiRoute(HandlerType.PUT, path, role, summary, handler));
  }

  /** Adds a DELETE route. */
  public Api delete(String path, Role role, String summary, Handler handler) {
    return add(new ApiRoute(HandlerType.DELETE, path, role, summary, handler));
  }

  /**
   * Adds a route.
   *
   * @throws IllegalArgumentException when the method and path are taken, or a mutating route is public
   */
  public Api add(ApiRoute route) {
    for (ApiRoute r : routes) {
      if (r.method() == route.method() && r.path().equals(route.path())) {
        throw new IllegalArgumentException("route registered twice: " + route.method() + " " + route.path());
      }
    }
    if (route.isPublic() && route.method() != HandlerType.GET) {
      throw new IllegalArgumentException("a mutating route needs a role: " + route.method() + " " + route.path());
    }
    routes.add(route);
    return this;
  }

  /** Every route, in registration order. */
  public List<ApiRoute> routes() {
    return List.copyOf(routes);
  }
}
