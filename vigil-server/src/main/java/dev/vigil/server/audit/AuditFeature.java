package dev.vigil.server.audit;

import dev.vigil.logging.audit.AuditLog;
import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.ServerContext;

/**
 * Reading Vigil's own audit trail: {@code /api/audit} and {@code /api/audit/verify}. The trail itself
 * is opened with the server (every feature writes to it) and offered as {@link AuditLog}.
 */
public final class AuditFeature implements Feature {
  @Override
  public String name() {
    return "audit";
  }

  @Override
  public void start(ServerContext context) {
    AuditApi.register(context.routes(), context.find(AuditLog.class)
        .orElseThrow(() -> new IllegalStateException("the audit trail is opened by the server before its features")));
  }
}
