package dev.vigil.server.optimizer;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.optimizer.ActionRecord;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Optimizer;
import dev.vigil.optimizer.RunReport;
import dev.vigil.server.audit.AuditEvent;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.HttpServer;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Page;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code /api/optimizer/*}: status, report, actions (viewer); run, rollback, enable, disable (admin). */
final class OptimizerApi {
  private OptimizerApi() {
  }

  /** The body of {@code POST /api/optimizer/run}; every field optional. */
  record RunRequest(@JsonProperty("level") String level, @JsonProperty("force") Boolean force,
      @JsonProperty("dry_run") Boolean dryRun) {
  }

  static void register(Api api, OptimizerService service) {
    Optimizer optimizer = service.optimizer();
    api.get("/api/optimizer/status", Role.VIEWER, "Optimizer on/off, level, schedule, changes under observation",
        ctx -> Json.respond(ctx, status(service)));
    api.get("/api/optimizer/report", Role.VIEWER,
        "Everything the optimizer would do now, each with the level that applies it, and the last run", ctx -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("proposals", optimizer.run(Level.AGGRESSIVE, true, true, "report").items());
          body.put("last_run", service.lastRun().orElse(null));
          Json.respond(ctx, body);
        });
    api.get("/api/optimizer/actions", Role.VIEWER, "Applied changes, newest first, with before/after and decision",
        ctx -> Json.respond(ctx, Page.of(ctx, optimizer.history(Page.MAX_LIMIT)).body("actions")));
    api.post("/api/optimizer/run", Role.ADMIN, "Run now: {level, force, dry_run}; --force ignores quiet windows, "
        + "never the level", ctx -> {
          RunRequest req = ctx.bodyAsBytes().length == 0 ? new RunRequest(null, null, null)
              : Json.read(ctx, RunRequest.class);
          Level level;
          try {
            level = req.level() == null ? null : Level.parse(req.level());
          } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_parameter", e.getMessage());
          }
          boolean dryRun = Boolean.TRUE.equals(req.dryRun());
          RunReport report = optimizer.run(level, Boolean.TRUE.equals(req.force()), dryRun,
              HttpServer.caller(ctx).id());
          service.recordRun(report);
          long applied = report.items().stream().filter(i -> i.outcome() == RunReport.Outcome.APPLIED).count();
          HttpServer.audit(ctx, AuditEvent.success("optimizer.run", "optimizer").with("level", report.level().label())
              .with("force", report.forced()).with("dry_run", dryRun).with("applied", applied));
          Json.respond(ctx, report);
        });
    api.post("/api/optimizer/actions/{id}/rollback", Role.ADMIN, "Roll back one applied change", ctx -> {
      String id = ctx.pathParam("id");
      if (!id.matches("[A-Za-z0-9-]{1,64}")) {
        throw ApiException.badParameter("id", "an optimizer action id");
      }
      ActionRecord.Status status = optimizer.action(id).map(ActionRecord::status)
          .orElseThrow(() -> ApiException.notFound("optimizer action " + id));
      if (status != ActionRecord.Status.OBSERVING && status != ActionRecord.Status.KEPT) {
        throw new ApiException(409, "not_applied", "optimizer action " + id + " is " + status.name()
            .toLowerCase(Locale.ROOT) + ", not applied");
      }
      if (!optimizer.action(id).orElseThrow().proposal().reversible()) {
        throw new ApiException(409, "irreversible", "optimizer action " + id + " cannot be undone: "
            + optimizer.action(id).orElseThrow().proposal().details().getOrDefault("irreversible_because",
            "it keeps no earlier state to go back to"));
      }
      ActionRecord done = optimizer.rollback(id, HttpServer.caller(ctx).id());
      HttpServer.audit(ctx, AuditEvent.success("optimizer.rollback", "action:" + id).with("target",
          done.proposal().target()));
      Json.respond(ctx, done);
    });
    api.post("/api/optimizer/enable", Role.ADMIN, "Turn scheduled optimizer runs on", ctx -> toggle(ctx, optimizer,
        true));
    api.post("/api/optimizer/disable", Role.ADMIN, "Turn scheduled optimizer runs off", ctx -> toggle(ctx, optimizer,
        false));
  }

  private static void toggle(Context ctx, Optimizer optimizer, boolean on) {
    optimizer.enabled(on, HttpServer.caller(ctx).id());
    HttpServer.audit(ctx, AuditEvent.success(on ? "optimizer.enable" : "optimizer.disable", "optimizer"));
    Json.respond(ctx, Map.of("success", true, "enabled", on));
  }

  private static Map<String, Object> status(OptimizerService service) {
    Optimizer optimizer = service.optimizer();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("enabled", optimizer.enabled());
    s.put("level", optimizer.level().label());
    s.put("schedule", service.schedule());
    s.put("next_run", service.nextRun().map(Object::toString).orElse(null));
    s.put("tunings", optimizer.tunings());
    s.put("observing", optimizer.observing());
    s.put("last_run", service.lastRun().map(r -> r.at().toString()).orElse(null));
    return s;
  }
}
