package dev.vigil.server.audit;

import dev.vigil.logging.audit.AuditException;
import dev.vigil.logging.audit.AuditLog;
import dev.vigil.logging.audit.AuditMetrics;
import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.ServerContext;

/**
 * Reading Vigil's own audit trail: {@code /api/audit}, {@code /api/audit/recent}, {@code /api/audit/verify}
 * and its meters ({@code vigil_audit_*}, the chain verified in the background). The trail itself
 * is opened with the server (every feature writes to it) and offered as {@link AuditLog}.
 */
public final class AuditFeature implements Feature {
  @Override
  public String name() {
    return "audit";
  }

  @Override
  public void start(ServerContext context) {
    // an action whose audit record cannot be written is refused (and undone where it runs in a transaction)
    context.routes().error(AuditException.class, 503, "audit_unavailable");
    AuditLog log = context.find(AuditLog.class)
        .orElseThrow(() -> new IllegalStateException("the audit trail is opened by the server before its features"));
    AuditApi.register(context.routes(), log);
    context.closeOnStop(AuditMetrics.start(log, context.meters(), context.clock()));
  }
}
