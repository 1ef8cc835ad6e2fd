package dev.vigil.server.feature;

import dev.vigil.cache.CacheManager;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.StateStore;
import dev.vigil.server.audit.ServerAudit;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a {@link Feature} starts from and contributes to: the validated config, the state store, the
 * clock, the meter registry ({@code /metrics}), the route table, the audit trail and the server's
 * cache; and where it adds health checks, request listeners, services for later features and the
 * things to close on stop. One context serves every feature of a server, in list order, so a feature
 * finds the services of the features before it.
 */
public final class ServerContext {
  private final VigilConfig config;
  private final StateStore store;
  private final Clock clock;
  private final MeterRegistry meters;
  private final Api routes;
  private final ServerAudit audit;
  private final CacheManager cache;
  private final Deque<AutoCloseable> closeOnStop;
  private final List<HttpServer.RequestListener> requestListeners = new ArrayList<>();
  private final Map<String, Supplier<Health>> health = new LinkedHashMap<>();
  private final Map<Class<?>, Object> services = new LinkedHashMap<>();

  /**
   * The context of one server.
   *
   * @param closeOnStop the server's stack of started things, closed last-in first-out
   */
  public ServerContext(VigilConfig config, StateStore store, Clock clock, MeterRegistry meters, Api routes,
      ServerAudit audit, CacheManager cache, Deque<AutoCloseable> closeOnStop) {
    this.config = Objects.requireNonNull(config, "config");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.routes = Objects.requireNonNull(routes, "routes");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.closeOnStop = Objects.requireNonNull(closeOnStop, "closeOnStop");
  }

  /** The validated configuration (with every feature's settings and sections). */
  public VigilConfig config() {
    return config;
  }

  /** The state store (SQLite or PostgreSQL) that features keep their tables in. */
  public StateStore store() {
    return store;
  }

  /** The clock every feature reads time from. */
  public Clock clock() {
    return clock;
  }

  /** The registry scraped at {@code /metrics}. */
  public MeterRegistry meters() {
    return meters;
  }

  /** The route table: every route added here gets auth, rate limits, audit coverage and OpenAPI. */
  public Api routes() {
    return routes;
  }

  /** Vigil's own audit trail (handlers write through {@link HttpServer#audit}; jobs through this). */
  public ServerAudit audit() {
    return audit;
  }

  /** The server's cache (in memory, or two-level with Redis). */
  public CacheManager cache() {
    return cache;
  }

  /**
   * Closes {@code closeable} when the server stops, before whatever was registered earlier.
   *
   * @return {@code closeable}
   */
  public <T extends AutoCloseable> T closeOnStop(T closeable) {
    closeOnStop.push(Objects.requireNonNull(closeable, "closeable"));
    return closeable;
  }

  /** Tells {@code listener} of every request the API answers (after it was answered). */
  public void onRequest(HttpServer.RequestListener listener) {
    requestListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Adds a health check shown in {@code /api/info}'s {@code health}. Checks run on each such request,
   * so they read a state the feature keeps; they do no I/O.
   */
  public void health(String name, Supplier<Health> check) {
    if (health.putIfAbsent(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check")) != null) {
      throw new IllegalArgumentException("health check registered twice: " + name);
    }
  }

  /**
   * Offers {@code service} to the features after this one (e.g. the host monitor to the dashboard).
   *
   * @throws IllegalArgumentException when a service of {@code type} is already offered
   */
  public <T> void provide(Class<T> type, T service) {
    if (services.putIfAbsent(type, Objects.requireNonNull(service, "service")) != null) {
      throw new IllegalArgumentException("service provided twice: " + type.getSimpleName());
    }
  }

  /** The service of {@code type} an earlier feature provided, if any. */
  public <T> Optional<T> find(Class<T> type) {
    return Optional.ofNullable(type.cast(services.get(type)));
  }

  /** The request listeners added so far, in order. */
  public List<HttpServer.RequestListener> requestListeners() {
    return List.copyOf(requestListeners);
  }

  /** Every health check's current state, in registration order. */
  public Map<String, Health> healthNow() {
    Map<String, Health> now = new LinkedHashMap<>();
    health.forEach((name, check) -> now.put(name, check.get()));
    return now;
  }
}
