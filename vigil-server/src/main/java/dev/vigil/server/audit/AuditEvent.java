package dev.vigil.server.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One state-changing action of Vigil as the audit trail records it, the same whether a request
 * handler, a CLI command or a background job did it: what was done ({@code action}, e.g.
 * {@code backup.create}), to what ({@code resource}, e.g. {@code database:erp}), how it ended and the
 * facts worth keeping (sizes, names, reasons — never secrets). Who did it is added where it is written
 * ({@link ServerAudit}).
 *
 * @param action dotted verb, e.g. {@code token.revoke}
 * @param resource the thing acted on, e.g. {@code token:abc}; {@code null} when there is none
 * @param outcome how it ended
 * @param facts further facts in insertion order
 */
public record AuditEvent(String action, String resource, Outcome outcome, Map<String, Object> facts) {
  /** How an action ended. */
  public enum Outcome {
    /** Done. */
    SUCCESS,
    /** Tried and failed. */
    FAILURE,
    /** Refused before it was tried. */
    DENIED;

    /** The lower-case word written in records. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Validates the event and freezes its facts. */
  public AuditEvent {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
    facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
  }

  /** A successful {@code action} on {@code resource}. */
  public static AuditEvent success(String action, String resource) {
    return new AuditEvent(action, resource, Outcome.SUCCESS, Map.of());
  }

  /** A failed {@code action} on {@code resource}, with the reason shown to people. */
  public static AuditEvent failure(String action, String resource, String reason) {
    return new AuditEvent(action, resource, Outcome.FAILURE, Map.of()).with("reason", reason);
  }

  /** This event with one more fact ({@code null} values are left out). */
  public AuditEvent with(String key, Object value) {
    if (value == null) {
      return this;
    }
    Map<String, Object> more = new LinkedHashMap<>(facts);
    more.put(key, value);
    return new AuditEvent(action, resource, outcome, more);
  }

  /** This event with another outcome. */
  public AuditEvent withOutcome(Outcome other) {
    return new AuditEvent(action, resource, other, facts);
  }

  /** The record's event type: {@code token.create} → {@code TOKEN_CREATE}. */
  public String eventType() {
    return action.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
  }
}
