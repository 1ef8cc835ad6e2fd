package dev.vigil.alert.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * What to enqueue.
 *
 * @param queue the queue name (letters, digits, {@code . _ -}, at most 100 characters)
 * @param kind what the payload means to the handler
 * @param idempotencyKey unique per job (at most 200 characters)
 * @param priority higher runs first
 * @param payload the handler's input
 * @param runAt when the job becomes due, or {@code null} for now
 */
public record JobRequest(String queue, String kind, String idempotencyKey, int priority, String payload, Instant runAt) {
  /** Validates the names. */
  public JobRequest {
    Objects.requireNonNull(payload, "payload");
    if (queue == null || !queue.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new IllegalArgumentException("queue name must be 1-100 letters, digits, '.', '_' or '-': " + queue);
    }
    if (kind == null || !kind.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new IllegalArgumentException("job kind must be 1-100 letters, digits, '.', '_' or '-': " + kind);
    }
    if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
      throw new IllegalArgumentException("idempotency key must be 1-200 characters, got "
          + (idempotencyKey == null ? "none" : idempotencyKey.length() + " characters"));
    }
  }

  /** A job due now. */
  public static JobRequest of(String queue, String kind, String idempotencyKey, int priority, String payload) {
    return new JobRequest(queue, kind, idempotencyKey, priority, payload, null);
  }
}
