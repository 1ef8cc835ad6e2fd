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
  private final List<Runnable> stopHooks = new ArrayList<>();

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

  /**
   * Runs {@code hook} when the server starts to stop, before it waits for in-flight requests: routes
   * that answer with a long-lived stream end their streams here, so shutdown does not wait for them.
   */
  public synchronized void onStop(Runnable hook) {
    stopHooks.add(java.util.Objects.requireNonNull(hook, "hook"));
  }

  /** The hooks given to {@link #onStop}, in registration order. */
  public synchronized List<Runnable> stopHooks() {
    return List.copyOf(stopHooks);
  }

  /** Every route, in registration order. */
  public List<ApiRoute> routes() {
    return List.copyOf(routes);
  }
}
