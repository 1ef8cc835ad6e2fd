package dev.vigil.alert.queue;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One job of the durable queue as stored: what to do ({@code kind} + {@code payload}), where
 * ({@code queue}), and how it has gone so far.
 *
 * @param id the store's id
 * @param queue the queue (one per receiver, so one failing receiver never holds up another)
 * @param kind what the payload means to the handler
 * @param idempotencyKey unique per job; enqueueing the same key again is a no-op, and receivers
 *     use it to drop a second delivery
 * @param priority higher runs first among due jobs of a queue
 * @param payload the handler's input (JSON text)
 * @param status PENDING, RUNNING, DONE or DEAD
 * @param attempts attempts started so far (including the running one)
 * @param maxAttempts attempts allowed before the job is dead-lettered
 * @param runAt when the job is next due
 * @param createdAt when it was enqueued
 * @param expiresAt after this the job is dead-lettered instead of retried (maximum age)
 * @param lastError the last failure, already free of secrets
 * @param finishedAt when it became DONE or DEAD
 */
public record Job(
    @JsonProperty("id") long id,
    @JsonProperty("queue") String queue,
    @JsonProperty("kind") String kind,
    @JsonProperty("idempotency_key") String idempotencyKey,
    @JsonProperty("priority") int priority,
    @JsonProperty("payload") String payload,
    @JsonProperty("status") String status,
    @JsonProperty("attempts") int attempts,
    @JsonProperty("max_attempts") int maxAttempts,
    @JsonProperty("run_at") Instant runAt,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("expires_at") Instant expiresAt,
    @JsonProperty("last_error") String lastError,
    @JsonProperty("finished_at") Instant finishedAt) {
  /** Waiting to run (due at {@code runAt}). */
  public static final String PENDING = "PENDING";
  /** Claimed by a worker under a lease. */
  public static final String RUNNING = "RUNNING";
  /** Delivered. */
  public static final String DONE = "DONE";
  /** Gave up: permanent failure, too many attempts, or too old. */
  public static final String DEAD = "DEAD";
}
