package dev.vigil.server.http;

import dev.vigil.server.auth.Role;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The table of every API route. Feature modules add their routes here; nothing is registered with
 * Javalin any other way, so the auth guard and the OpenAPI description see every route.
 */
public final class Api {
  private final List<ApiRoute> routes = new ArrayList<>();
  private final List<Runnable> stopHooks = new ArrayList<>();
  private final List<ErrorMapping<?>> errors = new ArrayList<>();

  /**
   * How the API answers an exception of one type that a handler lets escape.
   *
   * @param type the exception type (subtypes included)
   * @param status the HTTP status
   * @param code the stable {@code error.code}
   * @param <E> the exception type
   */
  public record ErrorMapping<E extends Exception>(Class<E> type, int status, String code) {
    /** Validates the mapping. */
    public ErrorMapping {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(code, "code");
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("error status must be 4xx or 5xx: " + status);
      }
    }
  }

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
    stopHooks.add(Objects.requireNonNull(hook, "hook"));
  }

  /** The hooks given to {@link #onStop}, in registration order. */
  public synchronized List<Runnable> stopHooks() {
    return List.copyOf(stopHooks);
  }

  /**
   * Answers every {@code type} exception a handler lets escape with {@code status} and
   * {@code {"error":{"code","message"}}}, the message being the exception's (so it must name the
   * problem and hold no secret). Declared once per feature; handlers do not catch to re-map.
   *
   * @throws IllegalArgumentException when {@code type} is mapped already
   */
  public synchronized <E extends Exception> Api error(Class<E> type, int status, String code) {
    for (ErrorMapping<?> e : errors) {
      if (e.type().equals(type)) {
        throw new IllegalArgumentException("error mapped twice: " + type.getName());
      }
    }
    errors.add(new ErrorMapping<>(type, status, code));
    return this;
  }

  /**
   * The mapping that answers {@code e}: the one of its own class, else of its nearest mapped superclass
   * (as Javalin picks its exception handler), or empty when none is declared.
   */
  public synchronized Optional<ErrorMapping<?>> mappingOf(Throwable e) {
    for (Class<?> c = e.getClass(); c != null; c = c.getSuperclass()) {
      for (ErrorMapping<?> m : errors) {
        if (m.type().equals(c)) {
          return Optional.of(m);
        }
      }
    }
    return Optional.empty();
  }

  /** The error mappings, in declaration order. */
  public synchronized List<ErrorMapping<?>> errors() {
    return List.copyOf(errors);
  }

  /** Every route, in registration order. */
  public List<ApiRoute> routes() {
    return List.copyOf(routes);
  }
}
