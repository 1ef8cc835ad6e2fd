package dev.vigil.server;

import dev.vigil.backup.BackupCatalog;
import dev.vigil.backup.BackupProgress;
import dev.vigil.backup.metrics.BackupMetrics;
import dev.vigil.backup.schedule.BackupScheduler;
import dev.vigil.cache.CacheManager;
import dev.vigil.cache.stats.CacheMetrics;
import dev.vigil.core.config.Settings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.FleetLock;
import dev.vigil.core.store.StateStore;
import dev.vigil.logging.audit.AuditLog;
import dev.vigil.logging.audit.AuditMetrics;
import dev.vigil.logging.request.RequestLog;
import dev.vigil.logging.setup.ConfiguredLogging;
import dev.vigil.logging.setup.LoggingSetup;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.server.api.AuditApi;
import dev.vigil.server.api.BackupApi;
import dev.vigil.server.api.CacheApi;
import dev.vigil.server.api.LogsApi;
import dev.vigil.server.api.MetricsApi;
import dev.vigil.server.api.MonitoringApi;
import dev.vigil.server.api.StreamApi;
import dev.vigil.server.api.SystemApi;
import dev.vigil.server.api.TokenApi;
import dev.vigil.server.api.WhoAmIApi;
import dev.vigil.server.audit.ServerAudit;
import dev.vigil.server.auth.AdminToken;
import dev.vigil.server.auth.Authenticator;
import dev.vigil.server.auth.TokenStore;
import dev.vigil.server.backup.BackupSetup;
import dev.vigil.server.cache.ServerCache;
import dev.vigil.server.dashboard.DashboardFiles;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.HttpServer;
import dev.vigil.server.http.RateLimiter;
import dev.vigil.server.logging.ServerLogging;
import dev.vigil.server.metrics.Metrics;
import dev.vigil.server.monitoring.ServerMonitoring;
import io.javalin.http.Context;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole Vigil program wired together by plain constructors: state store, tokens, HTTP API and
 * the feature modules. {@link #close()} stops everything it started, in reverse order.
 */
public final class VigilServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VigilServer.class);

  private final Deque<AutoCloseable> started;
  private final HttpServer http;
  private final Api api = new Api();
  private final Optional<TokenStore.IssuedToken> createdAdmin;
  private final Optional<ServerMonitoring> monitoring;

  private VigilServer(VigilConfig config, Clock clock, PrintStream out, Deque<AutoCloseable> started) {
    this.started = started;
    Instant startedAt = clock.instant();
    // Logging (issue 5): Logback configured from logging.* first and closed last, so start-up and
    // shutdown are in the files too.
    ConfiguredLogging logging = LoggingSetup.configure(ServerLogging.options(config));
    started.push(logging);
    StateStore store = StateStore.open(config.find(Settings.STORE_URL).orElse(null), config.dataDir());
    started.push(store);
    TokenStore tokens = new TokenStore(store, clock);
    createdAdmin = AdminToken.ensure(tokens, config.dataDir());
    createdAdmin.ifPresent(t -> {
      out.println("Created the admin API token (shown once; also in " + config.dataDir().resolve(AdminToken.FILE)
          + ", mode 0600):");
      out.println(t.token());
    });
    Authenticator authenticator = new Authenticator(tokens);
    Metrics metrics = new Metrics();
    started.push(metrics);
    List<HttpServer.RequestListener> requestListeners = new ArrayList<>();
    requestListeners.add(metrics::recordRequest);
    // Logging (issue 5): a request record per answered request, the dropped-records counter, recent records.
    requestListeners.add(ServerLogging.requestListener(new RequestLog(config.get(Settings.LOG_SLOW_REQUEST))));
    ServerLogging.bindMetrics(logging, metrics.registry());
    LogsApi.register(api, logging.files());

    // ---- cache (issue 4): the server's CacheManager, its meters and /api/cache routes
    CacheManager cache = ServerCache.open(config, clock);
    started.push(cache);
    new CacheMetrics(cache, "vigil").bindTo(metrics.registry());
    CacheApi.register(api, cache, VigilServer::audit);
    LOG.info("cache: {}{}", cache.cacheType(), cache.degraded() ? " (Redis unreachable, degraded to memory)" : "");
    // ---- end cache

    // --- audit trail (issue 5): vigil_audit.log in the log dir, indexed and checkpointed in the store ---
    AuditLog auditLog = ServerAudit.open(config, store, clock);
    started.push(auditLog);
    ServerAudit serverAudit = new ServerAudit(auditLog);
    AuditApi.register(api, auditLog);
    started.push(AuditMetrics.start(auditLog, metrics.registry(), clock));
    createdAdmin.ifPresent(t -> auditLog.log("TOKEN_CREATE", "system", "token.create", "token:" + t.info().id(),
        Map.of("role", "admin", "reason", "first start", "outcome", "success"), null));
    // --- end audit trail ---

    SystemApi.register(api, clock, startedAt, () -> features(config), cache);
    TokenApi.register(api, tokens, authenticator, VigilServer::audit);
    MetricsApi.register(api, metrics);

    // --- monitoring (issue 3): host sampling, history in the store, Prometheus meters, HTTP request tracking
    monitoring = config.get(Settings.MONITORING_ENABLED)
        ? Optional.of(ServerMonitoring.start(config, store, metrics.registry(), clock)) : Optional.empty();
    monitoring.ifPresent(m -> {
      started.push(m);
      requestListeners.add(m::recordRequest);
    });
    MonitoringApi.register(api, monitoring, clock);
    // --- end monitoring

    // --- dashboard (issue 7): who the token is, the live sample stream, static files at / (below)
    WhoAmIApi.register(api);
    StreamApi.register(api, this::monitor, clock);
    // --- end dashboard

    // ---- backups (issue 6): one DatabaseBackup per configured database, schedulers, /api/backup/* ----
    Optional<BackupCatalog> backups = BackupSetup.catalog(config, store, clock, BackupProgress.NONE);
    backups.ifPresent(started::push);
    Map<String, BackupScheduler> backupSchedulers = backups.isPresent() && config.get(Settings.BACKUP_SCHEDULER)
        ? BackupSetup.schedulers(config, backups.get(), new FleetLock(store, clock), clock) : Map.of();
    backupSchedulers.values().forEach(s -> {
      started.push(s);
      s.start();
    });
    BackupApi.register(api, backups.orElse(null), backupSchedulers, VigilServer::audit);
    backups.ifPresent(b -> new BackupMetrics(b, backupSchedulers, clock).bindTo(metrics.registry()));
    // ---- end backups ----

    RateLimiter limiter = new RateLimiter(config.get(Settings.RATE_LIMIT_ENABLED), config.get(Settings.RATE_LIMIT_IP),
        config.get(Settings.RATE_LIMIT_TOKEN));
    http = new HttpServer(new HttpServer.Options(config.get(Settings.SERVER_BIND), config.get(Settings.SERVER_PORT),
        config.get(Settings.SERVER_MAX_BODY), DashboardFiles.STATIC_FILES), api, authenticator, limiter, serverAudit,
        (ctx, millis) -> requestListeners.forEach(l -> l.answered(ctx, millis)));
    started.push(http);
    http.start();
    LOG.info("Vigil {} listening on http://{}:{} (store: {})", Version.get(), config.get(Settings.SERVER_BIND),
        http.port(), store);
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
    return monitoring.map(ServerMonitoring::monitor);
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

  private static Map<String, Boolean> features(VigilConfig config) {
    Map<String, Boolean> f = new LinkedHashMap<>();
    f.put("monitoring", config.get(Settings.MONITORING_ENABLED));
    f.put("redis_cache", config.get(Settings.USE_REDIS));
    f.put("backups", !config.databases().isEmpty());
    f.put("backup_scheduler", config.get(Settings.BACKUP_SCHEDULER) && !config.databases().isEmpty());
    return f;
  }

  /**
   * The audit hook every state-changing handler calls once per action: one record in the server's
   * audit trail (user = caller token id or "anonymous", IP, request id). See {@link ServerAudit}.
   */
  private static void audit(Context ctx, Map<String, String> details) {
    HttpServer.audit(ctx, details);
  }
}
