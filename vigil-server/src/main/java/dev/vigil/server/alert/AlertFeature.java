package dev.vigil.server.alert;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.alert.Alert;
import dev.vigil.alert.AlertEngine;
import dev.vigil.alert.AlertsConfig;
import dev.vigil.alert.Durations;
import dev.vigil.alert.probe.Probes;
import dev.vigil.alert.queue.Job;
import dev.vigil.alert.queue.JobQueue;
import dev.vigil.alert.queue.QueueOptions;
import dev.vigil.alert.route.Matcher;
import dev.vigil.alert.route.Silence;
import dev.vigil.alert.rule.RegistryMetricSource;
import dev.vigil.backup.BackupCatalog;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.optimizer.Optimizer;
import dev.vigil.server.audit.AuditEvent;
import dev.vigil.server.auth.Role;
import dev.vigil.server.backup.BackupSettings;
import dev.vigil.server.backup.ScheduledBackups;
import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.Health;
import dev.vigil.server.feature.ServerContext;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.HttpServer;
import dev.vigil.server.http.Json;
import dev.vigil.server.monitoring.ServerMonitoring;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Alerts and endpoint checks: the rules of {@code alerts.rules} plus the built-in ones (and the probe
 * and SLO rules when {@code probes} are configured) evaluated over the server's meters
 * and monitoring, routed as Alertmanager does, delivered through the durable job queue; and the
 * routes {@code /api/alerts/*} and {@code /api/jobs}. When the backup feature schedules backups, a
 * failed scheduled backup is retried through the same queue ({@link BackupRetries}). The Confluence
 * report page carries SLO budgets, backups and optimizer actions after its incidents. Offers the
 * {@link AlertEngine} to later features (the application's {@code alert()} / {@code notifyAdmin}).
 */
public final class AlertFeature implements Feature {
  private static final int MAX_LIMIT = 1000;
  /**
   * How long a backup retry's claim holds. A backup may run for hours; a second worker taking the job
   * over meanwhile finds the job's fleet lock held and backs off, so this only bounds how soon the
   * retry of a crashed instance is taken over.
   */
  private static final Duration BACKUP_RETRY_LEASE = Duration.ofMinutes(30);

  @Override
  public String name() {
    return "alerts";
  }

  @Override
  public List<String> sections() {
    return List.of("alerts", "probes");
  }

  @Override
  public List<String> paths() {
    return List.of("/api/alerts", "/api/jobs", "/api/probes", "/api/slo");
  }

  @Override
  public void start(ServerContext context) {
    AlertsConfig config;
    try {
      config = AlertsConfig.parse(context.config().section("alerts").orElse(null), System.getenv());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("vigil.yml: " + e.getMessage(), e);
    }
    Probes probes;
    try {
      probes = Probes.parse(context.config().section("probes").orElse(null), context.store(), context.clock());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("vigil.yml: " + e.getMessage(), e);
    }
    if (!probes.probes().isEmpty()) {
      config = config.withRules(Probes.rules());
    }
    RegistryMetricSource registry = new RegistryMetricSource(context.meters(), context.clock(),
        RegistryMetricSource.DEFAULT_WINDOW);
    context.closeOnStop(probes).start();
    AlertEngine engine = context.closeOnStop(new AlertEngine(config, context.store(),
        new ServerMetricSource(registry, context.find(ServerMonitoring.class)).and(probes), context.clock()));
    engine.bindTo(context.meters());
    BackupCatalog catalog = context.find(BackupCatalog.class).orElse(null);
    Optimizer optimizer = context.find(Optimizer.class).orElse(null);
    engine.report().add("SLO budgets", (from, to) -> probes.sloReport());
    engine.report().add("Backups", (from, to) -> ReportSections.backups(catalog, from, to));
    engine.report().add("Optimizer actions", (from, to) -> ReportSections.optimizer(optimizer, from, to));
    engine.start();
    context.provide(AlertEngine.class, engine);
    startBackupRetries(context);
    context.health(name(), () -> {
      long dead = engine.queue().counts().get(Job.DEAD);
      long firing = engine.alerts().stream().filter(a -> a.alert().state() == Alert.State.FIRING).count();
      String text = firing + " firing, " + engine.receivers().size() + " receiver(s), " + dead + " dead letter(s)";
      return engine.receivers().isEmpty() ? Health.degraded("no receiver configured (alerts.receivers); " + text)
          : Health.up(text);
    });
    register(context.routes(), engine);
    context.routes().get("/api/probes", Role.VIEWER, "Endpoint checks: last result, uptime and mean response time over 24 h",
        ctx -> Json.respond(ctx, Map.of("probes", probes.status())));
    context.routes().get("/api/probes/{name}/history", Role.VIEWER, "The latest results of one probe (?limit=)", ctx -> {
      String name = ctx.pathParam("name");
      if (probes.probes().stream().noneMatch(p -> p.name().equals(name))) {
        throw ApiException.notFound("probe " + name);
      }
      Json.respond(ctx, Map.of("probe", name, "results", probes.history(name, limit(ctx))));
    });
    context.routes().get("/api/slo", Role.VIEWER, "SLOs: SLI, error budget left, burn rates over 5m/30m/1h/6h, burn alerts",
        ctx -> Json.respond(ctx, Map.of("slos", probes.sloStatus())));
  }

  /**
   * Retries the failed scheduled backups of the backup feature's schedulers (when it runs them and
   * {@code backup.retry.enabled}) on queue {@value BackupRetries#QUEUE}, with the
   * {@code backup.retry.*} policy.
   */
  private static void startBackupRetries(ServerContext context) {
    ScheduledBackups scheduled = context.find(ScheduledBackups.class).orElse(null);
    VigilConfig c = context.config();
    if (scheduled == null || scheduled.byDatabase().isEmpty() || !c.get(BackupSettings.RETRY)) {
      return;
    }
    QueueOptions policy = new QueueOptions(c.get(BackupSettings.RETRY_MAX_ATTEMPTS), c.get(BackupSettings.RETRY_MAX_AGE),
        c.get(BackupSettings.RETRY_BACKOFF), c.get(BackupSettings.RETRY_BACKOFF_MAX), BACKUP_RETRY_LEASE,
        QueueOptions.DEFAULT_POLL);
    BackupRetries retries = context.closeOnStop(new BackupRetries(new JobQueue(context.store(), context.clock(), policy,
        () -> ThreadLocalRandom.current().nextDouble()), scheduled.byDatabase(), context.audit()));
    retries.start();
    context.provide(BackupRetries.class, retries);
  }

  /**
   * The body of {@code POST /api/alerts/silences}.
   *
   * @param matchers matchers like {@code alertname="HighCpu"}
   * @param startsAt from (default now)
   * @param endsAt until; or give {@code duration}
   * @param duration how long from now, e.g. {@code 2h}
   * @param comment why (required)
   */
  record SilenceRequest(@JsonProperty("matchers") List<String> matchers, @JsonProperty("starts_at") String startsAt,
      @JsonProperty("ends_at") String endsAt, @JsonProperty("duration") String duration,
      @JsonProperty("comment") String comment) {
  }

  static void register(Api api, AlertEngine engine) {
    api.error(AlertRequestException.class, 400, "invalid_request");
    api.get("/api/alerts", Role.VIEWER, "Pending and firing alerts, with silenced/inhibited flags", ctx -> {
      Map<String, Object> body = new LinkedHashMap<>();
      var alerts = engine.alerts();
      body.put("alerts", alerts);
      body.put("firing", alerts.stream().filter(a -> a.alert().state() == Alert.State.FIRING).count());
      body.put("pending", alerts.stream().filter(a -> a.alert().state() == dev.vigil.alert.Alert.State.PENDING).count());
      body.put("silenced", alerts.stream().filter(AlertEngine.AlertView::silenced).count());
      body.put("receivers", engine.receivers());
      Json.respond(ctx, body);
    });
    api.get("/api/alerts/rules", Role.VIEWER, "The alert rules in force (built-in and from alerts.rules)",
        ctx -> Json.respond(ctx, Map.of("rules", engine.rules())));
    api.get("/api/alerts/notifications", Role.VIEWER, "Delivery log: each notification with its attempts (?limit=)",
        ctx -> Json.respond(ctx, Map.of("notifications", engine.notifications(limit(ctx)))));
    api.get("/api/alerts/silences", Role.VIEWER, "Silences, newest first, with their state", ctx -> {
      Instant now = Instant.now(engine.queue().clock());
      List<Map<String, Object>> out = new ArrayList<>();
      for (Silence s : engine.silences().all()) {
        Map<String, Object> row = new LinkedHashMap<>(Json.MAPPER.convertValue(s, Map.class));
        row.put("state", s.state(now));
        out.add(row);
      }
      Json.respond(ctx, Map.of("silences", out));
    });
    api.post("/api/alerts/silences", Role.OPERATOR, "Add a silence {matchers, ends_at|duration, comment}", ctx -> {
      SilenceRequest req = Json.read(ctx, SilenceRequest.class);
      Silence s;
      try {
        s = bad(() -> {
        Instant now = engine.queue().clock().instant();
        List<Matcher> ms = new ArrayList<>();
        for (String m : req.matchers() == null ? List.<String>of() : req.matchers()) {
          ms.add(Matcher.parse(m));
        }
        Instant starts = req.startsAt() == null ? null : instant(req.startsAt(), "starts_at");
        Instant ends = req.endsAt() != null ? instant(req.endsAt(), "ends_at")
            : req.duration() != null ? (starts == null ? now : starts).plus(Durations.parse(req.duration(), "duration"))
            : null;
        if (ends == null) {
          throw new IllegalArgumentException("a silence needs ends_at or duration");
        }
        return engine.silences().create(ms, starts, ends, HttpServer.caller(ctx).name(), req.comment());
        });
      } catch (AlertRequestException e) {
        HttpServer.audit(ctx, AuditEvent.failure("alerts.silence", "silence:new", e.getMessage()));
        throw e;
      }
      HttpServer.audit(ctx, AuditEvent.success("alerts.silence", "silence:" + s.id())
          .with("matchers", s.matchers().toString()).with("ends_at", s.endsAt().toString()));
      Json.respond(ctx, 201, s);
    });
    api.delete("/api/alerts/silences/{id}", Role.OPERATOR, "Expire a silence now", ctx -> {
      String id = ctx.pathParam("id");
      if (!engine.silences().expire(id)) {
        HttpServer.audit(ctx, AuditEvent.failure("alerts.unsilence", "silence:" + id, "no active silence"));
        throw ApiException.notFound("active silence " + id);
      }
      HttpServer.audit(ctx, AuditEvent.success("alerts.unsilence", "silence:" + id));
      Json.respond(ctx, Map.of("success", true, "id", id));
    });
    api.post("/api/alerts/test/{receiver}", Role.OPERATOR, "Queue a test notification to a receiver", ctx -> {
      String receiver = ctx.pathParam("receiver");
      if (!engine.receivers().containsKey(receiver)) {
        HttpServer.audit(ctx, AuditEvent.failure("alerts.test", "receiver:" + receiver, "no such receiver"));
        throw ApiException.notFound("receiver " + receiver);
      }
      String key = engine.test(receiver, HttpServer.caller(ctx).name());
      HttpServer.audit(ctx, AuditEvent.success("alerts.test", "receiver:" + receiver));
      Json.respond(ctx, 202, Map.of("queued", true, "receiver", receiver, "key", key));
    });
    api.get("/api/jobs", Role.VIEWER, "The durable job queue (?queue=&status=&limit=) and counts per status", ctx -> {
      String status = ctx.queryParam("status");
      if (status != null && !List.of(Job.PENDING, Job.RUNNING, Job.DONE, Job.DEAD).contains(status.toUpperCase(Locale.ROOT))) {
        throw ApiException.badParameter("status", "pending, running, done, dead");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("counts", engine.queue().counts());
      body.put("jobs", engine.queue().jobs(ctx.queryParam("queue"), status == null ? null : status.toUpperCase(Locale.ROOT),
          limit(ctx)).stream().map(AlertFeature::withoutPayload).toList());
      Json.respond(ctx, body);
    });
  }

  /** A job as listed: the payload (a whole notification) is left out. */
  private static Map<String, Object> withoutPayload(Job j) {
    Map<String, Object> row = new LinkedHashMap<>(Json.MAPPER.convertValue(j, Map.class));
    row.remove("payload");
    return row;
  }

  private static int limit(Context ctx) {
    String l = ctx.queryParam("limit");
    if (l == null) {
      return 100;
    }
    try {
      int n = Integer.parseInt(l);
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badParameter("limit", "1-" + MAX_LIMIT);
  }

  private static Instant instant(String text, String field) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " must be an ISO-8601 instant like 2026-01-01T12:00:00Z, got " + text, e);
    }
  }

  private static <T> T bad(Supplier<T> s) {
    try {
      return s.get();
    } catch (IllegalArgumentException e) {
      throw new AlertRequestException(e.getMessage(), e);
    }
  }

}
