package dev.vigil.server.audit;

import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.StateStore;
import dev.vigil.logging.audit.AuditLog;
import dev.vigil.logging.audit.AuditOptions;
import dev.vigil.logging.audit.AuditRecord;
import dev.vigil.server.auth.TokenInfo;
import dev.vigil.server.http.HttpServer;
import dev.vigil.server.logging.LoggingSettings;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil's own audit trail: the API's actions and denials written to the {@link AuditLog} in the
 * configured log dir ({@code vigil_audit.log}) with the caller's token id as user, the client IP and
 * the request id; and the same for offline CLI actions.
 */
public final class ServerAudit implements HttpServer.Auditor {
  private static final Logger LOG = LoggerFactory.getLogger(ServerAudit.class);
  /** The chain name and file prefix of Vigil's own trail. */
  public static final String APP = "vigil";

  private final AuditLog log;

  /** Writes to {@code log}. */
  public ServerAudit(AuditLog log) {
    this.log = log;
  }

  /** The audit options of {@code config}: log dir, data dir (key), rotation size, {@code clock}. */
  public static AuditOptions options(VigilConfig config, Clock clock) {
    return AuditOptions.defaults(APP, Path.of(config.get(LoggingSettings.LOG_DIR)), config.dataDir())
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
        ctx.ip());
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
   * Queues the denial without waiting for its fsync (a flood of refused requests must not hold server
   * threads); it is durable within one group commit, and reports include it.
   */
  @Override
  public void denied(Context ctx, HttpServer.Denial denial) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("outcome", "denied");
    details.put("status", denial.status());
    details.put("reason", denial.reason());
    details.put("method", denial.method());
    details.put("path", denial.path().length() <= 200 ? denial.path() : denial.path().substring(0, 200) + "...");
    details.put("request_id", denial.requestId());
    log.append("ACCESS_DENIED", denial.tokenId() == null ? "anonymous" : denial.tokenId(), "access.denied",
        "route:" + denial.method() + " " + HttpServer.route(ctx), details, denial.ip())
        .whenComplete((record, failure) -> {
          if (failure != null) {
            LOG.error("cannot audit the denial of {} {} (request id {})", denial.method(), denial.path(),
                denial.requestId(), failure);
          }
        });
  }

}
