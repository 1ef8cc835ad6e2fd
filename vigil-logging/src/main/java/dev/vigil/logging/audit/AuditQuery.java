package dev.vigil.logging.audit;

import java.time.Instant;

/**
 * What {@link AuditLog#report} returns: records logged in {@code [from, to)} matching every given
 * filter, oldest first, after {@code afterSeq}, at most {@code limit}.
 *
 * @param from earliest timestamp (inclusive), or {@code null}
 * @param to latest timestamp (exclusive), or {@code null}
 * @param userId only this user, or {@code null}
 * @param action only this action, or {@code null}
 * @param eventType only this event type, or {@code null}
 * @param afterSeq page cursor: only records with a larger seq (0 for the first page)
 * @param limit page size, 1 to 1000
 */
public record AuditQuery(Instant from, Instant to, String userId, String action, String eventType, long afterSeq,
    int limit) {

  /** Validates the page. */
  public AuditQuery {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be 1 to 1000, got " + limit);
    }
    if (afterSeq < 0) {
      throw new IllegalArgumentException("cursor must not be negative, got " + afterSeq);
    }
    if (from != null && to != null && to.isBefore(from)) {
      throw new IllegalArgumentException("'to' (" + to + ") is before 'from' (" + from + ")");
    }
  }

  /** Everything in {@code [from, to)}, first page of 100. */
  public static AuditQuery between(Instant from, Instant to) {
    return new AuditQuery(from, to, null, null, null, 0, 100);
  }
}
