package dev.vigil.server.audit;

import dev.vigil.logging.audit.AuditLog;
import dev.vigil.logging.audit.AuditPage;
import dev.vigil.logging.audit.AuditQuery;
import dev.vigil.logging.audit.AuditRecord;
import dev.vigil.logging.audit.VerifyResult;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Page;
import dev.vigil.server.http.Params;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The audit trail over HTTP, for admins: a filtered report and a verification of the whole chain. */
public final class AuditApi {
  private static final String NAME = "[A-Za-z0-9_.:@/-]{1,128}";

  private AuditApi() {
  }

  /** Adds {@code GET /api/audit} and {@code GET /api/audit/verify}. */
  public static void register(Api api, AuditLog audit) {
    api.get("/api/audit", Role.ADMIN, "Audit records, oldest first: from, to, user, action, event_type, cursor, limit",
        ctx -> {
          Instant from = Params.instantParam(ctx, "from", null);
          Instant to = Params.instantParam(ctx, "to", null);
          if (from != null && to != null && to.isBefore(from)) {
            throw ApiException.badParameter("to", "an instant not before 'from'");
          }
          String allowed = "1 to 128 letters, digits or _ . : @ / -";
          AuditQuery q = new AuditQuery(from, to, Params.textParam(ctx, "user", NAME, allowed, null),
              Params.textParam(ctx, "action", NAME, allowed, null),
              Params.textParam(ctx, "event_type", NAME, allowed, null),
              Params.intParam(ctx, "cursor", 0, Integer.MAX_VALUE, 0),
              Page.limit(ctx));
          AuditPage page = audit.report(q);
          Json.respond(ctx, Page.of(json(page.records()), page.nextCursor() == null ? null
              : page.nextCursor().toString()).body("events"));
        });
    api.get("/api/audit/verify", Role.ADMIN, "Verify the audit chain: intact, or the first bad seq and why",
        ctx -> Json.respond(ctx, json(audit.verify())));
  }

  /** A record with the published field names ({@code event_type}, {@code user_id}, {@code ip_address}, …). */
  public static Map<String, Object> json(AuditRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", r.seq());
    m.put("timestamp", AuditRecord.TIMESTAMP.format(r.timestamp()));
    m.put("event_type", r.eventType());
    m.put("user_id", r.userId());
    m.put("action", r.action());
    m.put("resource", r.resource());
    m.put("details", r.details());
    m.put("ip_address", r.ipAddress());
    m.put("prev_hash", r.prevHash());
    m.put("hash", r.hash());
    return m;
  }

  /** A verification result as JSON. */
  public static Map<String, Object> json(VerifyResult v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ok", v.ok());
    m.put("status", v.ok() ? "intact" : "tampered");
    m.put("records", v.records());
    m.put("checkpoints", v.checkpoints());
    m.put("first_bad_seq", v.ok() ? null : v.firstBadSeq());
    m.put("reason", v.reason());
    m.put("file", v.file());
    m.put("line", v.line() == 0 ? null : v.line());
    m.put("summary", v.summary());
    return m;
  }

  /** Several records as JSON. */
  public static List<Map<String, Object>> json(List<AuditRecord> records) {
    return records.stream().map(AuditApi::json).toList();
  }
}
