package dev.vigil.server.audit;

import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.StateStore;
import dev.vigil.logging.audit.AuditLog;
import dev.vigil.logging.audit.AuditOptions;
import dev.vigil.logging.audit.AuditRecord;
import dev.vigil.server.auth.TokenInfo;
import dev.vigil.server.http.HttpServer;
import dev.vigil.server.http.FloodWindow;
import dev.vigil.server.logging.LoggingSettings;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil's own audit trail: the API's actions and denials written to the {@link AuditLog} in the
 * configured log dir ({@code vigil_audit.log}) with the caller's token id as user, the client IP and
 * the request id; and the same for offline CLI actions.
 */
public final class ServerAudit implements HttpServer.Auditor, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServerAudit.class);
  /** The chain name and file prefix of Vigil's own trail. */
  public static final String APP = "vigil";
  /** Length of a denial window: like denials within it leave one record at once and one summary. */
  public static final Duration DENIAL_WINDOW = Duration.ofSeconds(60);
  private static final DenialKey OVERFLOW = new DenialKey("*", 0, "*", null);

  private final AuditLog log;
  private final FloodWindow<DenialKey> denials;
  private final MeterRegistry meters;

  /** Who was denied where and why: what makes two denials alike. */
  private record DenialKey(String ip, int status, String route, String tokenId) {
  }

  /** Writes to {@code log}; denials aggregate per {@link #DENIAL_WINDOW} of {@code clock}. */
  public ServerAudit(AuditLog log, Clock clock, MeterRegistry meters) {
    this.log = log;
    this.meters = meters;
    this.denials = new FloodWindow<>(DENIAL_WINDOW, 1, 10_000, OVERFLOW, clock, this::summarize,
        "vigil-audit-denials");
  }

  @Override
  public Optional<String> unavailable() {
    return log.unavailable();
  }

  /** Writes the summaries of open denial windows. */
  @Override
  public void close() {
    denials.close();
  }

  /** The audit options of {@code config}: log dir, data dir (key), rotation size, {@code clock}. */
  public static AuditOptions options(VigilConfig config, Clock clock) {
    return AuditOptions.defaults(APP, Path.of(config.get(LoggingSettings.LOG_DIR)), config.dataDir())
        .withFileModes(config.fileModes())
        .withMaxFileBytes(Math.max(4096, config.get(LoggingSettings.LOG_MAX_BYTES))).withClock(clock);
  }

  /** Opens the trail of {@code config} for writing. */
  public static AuditLog open(VigilConfig config, StateStore store, Clock clock) {
    return AuditLog.open(options(config, clock), store);
  }

  @Override
  public void action(Context ctx, AuditEvent event) {
    Map<String, Object> facts = facts(event);
    facts.put("request_id", HttpServer.requestId(ctx));
    TokenInfo caller = HttpServer.caller(ctx);
    log.log(event.eventType(), caller == null ? "anonymous" : caller.id(), event.action(), event.resource(), facts,
        HttpServer.clientIp(ctx));
  }

  /**
   * Records an action done outside an HTTP request (a background job, the CLI with the server running)
   * and waits until it is durable.
   */
  public AuditRecord record(Actor actor, AuditEvent event) {
    return write(log, actor, event);
  }

  /** Records {@code event} by {@code actor} in {@code log} and waits until it is durable. */
  public static AuditRecord write(AuditLog log, Actor actor, AuditEvent event) {
    return log.log(event.eventType(), actor.user(), event.action(), event.resource(), facts(event), actor.ip());
  }

  private static Map<String, Object> facts(AuditEvent event) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("outcome", event.outcome().label());
    facts.putAll(event.facts());
    return facts;
  }

  /**
   * Counts the denial ({@code vigil_http_denied_total{status}}) and audits it without amplifying a
   * flood: the first denial of a source IP, status, route and token per {@link #DENIAL_WINDOW} is written
   * at once, the rest only counted and written as one {@code access.denied} record with
   * {@code aggregated: true}, {@code count}, {@code first_at} and {@code last_at} when the window ends.
   * Writes are queued without waiting for their fsync (a flood must not hold server threads), and a
   * failure to write (disk full) never turns the denial into an error.
   */
  @Override
  public void denied(Context ctx, HttpServer.Denial denial) {
    meters.counter("vigil.http.denied", "status", Integer.toString(denial.status())).increment();
    String route = denial.method() + " " + HttpServer.route(ctx);
    if (!denials.admit(new DenialKey(denial.ip(), denial.status(), route, denial.tokenId()), denial)) {
      return;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("outcome", "denied");
    details.put("status", denial.status());
    details.put("reason", denial.reason());
    details.put("method", denial.method());
    details.put("path", denial.path().length() <= 200 ? denial.path() : denial.path().substring(0, 200) + "...");
    details.put("request_id", denial.requestId());
    append(denial.tokenId(), "route:" + route, details, denial.ip());
  }

  /** The record of a denial window that had more denials than the one written at once. */
  private void summarize(DenialKey key, long count, long suppressed, Instant first, Instant last, Object sample) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("outcome", "denied");
    details.put("aggregated", true);
    details.put("count", count);
    details.put("not_written_singly", suppressed);
    details.put("first_at", first.toString());
    details.put("last_at", last.toString());
    details.put("window_seconds", DENIAL_WINDOW.toSeconds());
    if (key != OVERFLOW) {
      details.put("status", key.status());
    }
    if (sample instanceof HttpServer.Denial d) {
      details.put("reason", d.reason());
    }
    append(key.tokenId(), key == OVERFLOW ? "route:*" : "route:" + key.route(), details,
        key == OVERFLOW ? null : key.ip());
  }

  private void append(String tokenId, String resource, Map<String, Object> details, String ip) {
    try {
      log.append("ACCESS_DENIED", tokenId == null ? "anonymous" : tokenId, "access.denied", resource, details, ip)
          .whenComplete((record, failure) -> {
            if (failure != null) {
              LOG.error("cannot audit the denial on {} from {}: {}", resource, ip, failure.toString());
            }
          });
    } catch (RuntimeException e) {
      LOG.error("cannot audit the denial on {} from {}: {}", resource, ip, e.toString());
    }
  }

}
