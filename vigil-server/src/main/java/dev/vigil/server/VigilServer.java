package dev.vigil.server;

import dev.vigil.cache.CacheManager;
import dev.vigil.core.config.Settings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.StateStore;
import dev.vigil.logging.audit.AuditLog;
import dev.vigil.logging.setup.ConfiguredLogging;
import dev.vigil.logging.setup.LoggingSetup;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.server.audit.Actor;
import dev.vigil.server.audit.AuditEvent;
import dev.vigil.server.audit.ServerAudit;
import dev.vigil.server.auth.AdminToken;
import dev.vigil.server.auth.Authenticator;
import dev.vigil.server.auth.Role;
import dev.vigil.server.auth.TokenStore;
import dev.vigil.server.backup.BackupSettings;
import dev.vigil.server.cache.CacheSettings;
import dev.vigil.server.cache.ServerCache;
import dev.vigil.server.dashboard.DashboardFiles;
import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.Features;
import dev.vigil.server.feature.ServerContext;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.HttpServer;
import dev.vigil.server.http.RateLimiter;
import dev.vigil.server.logging.ServerLogging;
import dev.vigil.server.metrics.Metrics;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole Vigil program: the parts every feature stands on (logging, state store, tokens, meters,
 * cache, audit trail), then the {@link Features#ALL} list started from one {@link ServerContext}, then
 * the HTTP server over the route table they filled. {@link #close()} stops everything it started, in
 * reverse order.
 */
public final class VigilServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VigilServer.class);

  private final Deque<AutoCloseable> started;
  private final HttpServer http;
  private final Api api = new Api();
  private final Optional<TokenStore.IssuedToken> createdAdmin;
  private final ServerContext context;

  private VigilServer(VigilConfig config, Clock clock, PrintStream out, Deque<AutoCloseable> started) {
    this.started = started;
    Instant startedAt = clock.instant();
    // Logback first and closed last, so start-up and shutdown are in the files too.
    ConfiguredLogging logging = LoggingSetup.configure(ServerLogging.options(config));
    started.push(logging);
    StateStore store = StateStore.open(config.find(Settings.STORE_URL).orElse(null), config.dataDir(), config.fileModes());
    started.push(store);
    TokenStore tokens = new TokenStore(store, clock);
    createdAdmin = AdminToken.ensure(tokens, config.dataDir());
    createdAdmin.ifPresent(t -> {
      out.println("Created the admin API token (shown once; also in " + config.dataDir().resolve(AdminToken.FILE)
          + ", mode 0600):");
      out.println(t.token());
    });
    Authenticator authenticator = new Authenticator(tokens);
    started.push(authenticator);
    Metrics metrics = new Metrics();
    started.push(metrics);
    CacheManager cache = ServerCache.open(config, clock);
    started.push(cache);
    LOG.info("cache: {}{}", cache.cacheType(), cache.degraded() ? " (Redis unreachable, degraded to memory)" : "");
    AuditLog auditLog = ServerAudit.open(config, store, clock);
    started.push(auditLog);
    ServerAudit serverAudit = new ServerAudit(auditLog, clock, metrics.registry());
    started.push(serverAudit);
    createdAdmin.ifPresent(t -> serverAudit.record(Actor.system(), AuditEvent.success("token.create",
        "token:" + t.info().id()).with("role", Role.ADMIN.label()).with("reason", "first start")));

    context = new ServerContext(config, store, clock, metrics.registry(), api, serverAudit, cache, started);
    context.provide(ConfiguredLogging.class, logging);
    context.provide(Metrics.class, metrics);
    context.provide(AuditLog.class, auditLog);
    context.provide(TokenStore.class, tokens);
    context.provide(Authenticator.class, authenticator);
    // the server's own routes lead the table: load balancers and the dashboard ask for them most
    AtomicReference<Map<String, Boolean>> features = new AtomicReference<>(Map.of());
    SystemApi.register(api, clock, startedAt, features::get, context::healthNow, cache);
    features.set(info(config, startFeatures(config, context)));

    RateLimiter limiter = new RateLimiter(config.get(Settings.RATE_LIMIT_ENABLED), config.get(Settings.RATE_LIMIT_IP),
        config.get(Settings.RATE_LIMIT_TOKEN), config.get(Settings.RATE_LIMIT_EXPENSIVE));
    List<HttpServer.RequestListener> requestListeners = context.requestListeners();
    http = new HttpServer(new HttpServer.Options(config.get(Settings.SERVER_BIND), config.get(Settings.SERVER_PORT),
        config.get(Settings.SERVER_MAX_BODY), DashboardFiles.STATIC_FILES, config.find(Settings.TRUSTED_PROXIES)
        .orElse(null)), api, authenticator, limiter, serverAudit,
        (ctx, millis) -> {
          for (HttpServer.RequestListener l : requestListeners) {
            l.answered(ctx, millis);
          }
        });
    started.push(http);
    http.start();
    LOG.info("Vigil {} listening on http://{}:{} (store: {})", Version.get(), config.get(Settings.SERVER_BIND),
        http.port(), store);
  }

  /**
   * Starts every enabled feature in list order; a feature that is off gets routes under its paths that
   * answer 409 {@code not_enabled}.
   *
   * @return each feature's name and whether it runs
   */
  private static Map<String, Boolean> startFeatures(VigilConfig config, ServerContext context) {
    Map<String, Boolean> enabled = new LinkedHashMap<>();
    for (Feature feature : Features.ALL) {
      boolean on = feature.enabled(config);
      enabled.put(feature.name(), on);
      if (on) {
        try {
          feature.start(context);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException("feature " + feature.name() + " failed to start: " + e.getMessage(), e);
        }
      } else {
        notEnabled(context.routes(), feature);
      }
    }
    return enabled;
  }

  private static void notEnabled(Api api, Feature feature) {
    for (String path : feature.paths()) {
      for (String p : List.of(path, path + "/*")) {
        api.get(p, Role.VIEWER, feature.name() + " is not enabled on this server", ctx -> {
          throw ApiException.notEnabled(feature.name(), feature.howToEnable());
        });
        api.post(p, Role.OPERATOR, feature.name() + " is not enabled on this server", ctx -> {
          throw ApiException.notEnabled(feature.name(), feature.howToEnable());
        });
        api.delete(p, Role.OPERATOR, feature.name() + " is not enabled on this server", ctx -> {
          throw ApiException.notEnabled(feature.name(), feature.howToEnable());
        });
      }
    }
  }

  /**
   * Starts Vigil with {@code config}. When a part fails to start (port in use, unusable database URL),
   * everything started before it is closed again before the failure is thrown.
   *
   * @param out where the first-start admin token is printed
   */
  public static VigilServer start(VigilConfig config, Clock clock, PrintStream out) {
    Deque<AutoCloseable> started = new ArrayDeque<>();
    try {
      return new VigilServer(config, clock, out, started);
    } catch (Throwable e) { // also what a library throws undeclared; rethrown as it is
      try {
        closeAll(started);
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /** The port the API listens on. */
  public int port() {
    return http.port();
  }

  /** The route table (for the OpenAPI and auth-matrix tests). */
  public Api api() {
    return api;
  }

  /** The HTTP server. */
  public HttpServer http() {
    return http;
  }

  /**
   * The host monitor when {@code monitoring.enabled}: subscribe to its samples with {@code addListener}
   * (listeners run on the sampling thread, so hand slow work such as network writes off to another).
   */
  public Optional<SystemMonitor> monitor() {
    return context.find(SystemMonitor.class);
  }

  /** The context the features started from (their services, health checks and route table). */
  public ServerContext context() {
    return context;
  }

  /** The admin token created by this start, if it created one. */
  public Optional<TokenStore.IssuedToken> createdAdminToken() {
    return createdAdmin;
  }

  /** Stops the HTTP server (finishing in-flight requests), then every module, then the store. */
  @Override
  public void close() {
    closeAll(started);
  }

  private static void closeAll(Deque<AutoCloseable> started) {
    RuntimeException failure = null;
    while (!started.isEmpty()) {
      AutoCloseable c = started.pop();
      try {
        c.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing " + c.getClass().getSimpleName() + " failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** {@code /api/info}'s {@code features}: each feature's state plus the Redis cache and backup scheduler switches. */
  private static Map<String, Boolean> info(VigilConfig config, Map<String, Boolean> enabled) {
    Map<String, Boolean> f = new LinkedHashMap<>(enabled);
    f.put("backup_databases", !config.databases().isEmpty()); // the dashboard asks before calling /api/backup/*
    f.put("redis_cache", config.get(CacheSettings.USE_REDIS));
    f.put("backup_scheduler", config.get(BackupSettings.BACKUP_SCHEDULER) && !config.databases().isEmpty());
    return Collections.unmodifiableMap(f);
  }
}
