package dev.vigil.server.alert;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.alert.Alert;
import dev.vigil.alert.queue.Job;
import dev.vigil.alert.queue.JobQueue;
import dev.vigil.alert.queue.JobRequest;
import dev.vigil.alert.queue.PermanentJobException;
import dev.vigil.alert.queue.QueueWorker;
import dev.vigil.backup.schedule.BackupScheduler;
import dev.vigil.backup.schedule.FailedRun;
import dev.vigil.backup.schedule.RetryResult;
import dev.vigil.server.audit.Actor;
import dev.vigil.server.audit.AuditEvent;
import dev.vigil.server.audit.ServerAudit;
import dev.vigil.server.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries failed scheduled backups through the durable job queue: each failed slot (database, job,
 * fire time) becomes one job of queue {@value #QUEUE}, keyed by the slot so it is enqueued once
 * whatever happens, retried with the queue's exponential backoff and jitter until its attempts or
 * maximum age run out, and dead-lettered at once when retrying cannot help (the database or job is
 * no longer configured). Every attempt's outcome is audited ({@code backup.retry}, actor
 * {@code job:backup-retry}); the jobs are listed by {@code GET /api/jobs}.
 */
public final class BackupRetries implements AutoCloseable {
  /** The queue the retries run on. */
  public static final String QUEUE = "backup-retry";
  /** The job kind. */
  public static final String KIND = "backup.retry";
  /** Ahead of warning notifications, behind critical ones. */
  public static final int PRIORITY = 70;
  private static final Logger LOG = LoggerFactory.getLogger(BackupRetries.class);

  private final JobQueue queue;
  private final Map<String, BackupScheduler> schedulers;
  private final ServerAudit audit;
  private QueueWorker worker;

  /**
   * The retries of {@code schedulers}' failed backups on {@code queue}.
   *
   * @param queue a queue over the state store with the backup retry policy
   */
  public BackupRetries(JobQueue queue, Map<String, BackupScheduler> schedulers, ServerAudit audit) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.schedulers = Map.copyOf(schedulers);
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /** What a retry job carries. */
  record Payload(@JsonProperty("database") String database, @JsonProperty("job") String job,
      @JsonProperty("fire_at") Instant fireAt, @JsonProperty("error") String error) {
  }

  /** Starts the worker thread and attaches to every scheduler (failures before now are told at once). */
  public synchronized void start() {
    if (worker != null) {
      throw new IllegalStateException("backup retries already started");
    }
    worker = queue.start(QUEUE, this::handle);
    schedulers.values().forEach(s -> s.onBackupFailure(this::enqueue));
  }

  /**
   * Enqueues the retry of a failed slot, first due after the first backoff delay.
   *
   * @return false when the slot's retry was already enqueued (in any state)
   */
  public boolean enqueue(FailedRun run) {
    String payload;
    try {
      payload = Json.MAPPER.writeValueAsString(new Payload(run.database(), run.job(), run.fireAt(), run.message()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the retry of backup " + run.job() + " of " + run.database(), e);
    }
    Instant due = queue.clock().instant().plus(queue.options().backoffBase());
    boolean added = queue.enqueue(new JobRequest(QUEUE, KIND, key(run), PRIORITY, payload, due));
    if (added) {
      LOG.warn("scheduled backup {} of {} at {} failed; retry queued for {}", run.job(), run.database(), run.fireAt(),
          due);
      audit.record(Actor.job("backup-retry"), AuditEvent.success("backup.retry.queued", "database:" + run.database())
          .with("job", run.job()).with("fire_at", run.fireAt().toString()).with("error", String.valueOf(run.message())));
    }
    return added;
  }

  /** The idempotency key of a slot: one retry job per database, job and fire time, ever. */
  static String key(FailedRun run) {
    String key = "backup-retry:" + run.database() + "/" + run.job() + "@" + run.fireAt().toEpochMilli();
    return key.length() <= 200 ? key : "backup-retry:" + Alert.fingerprint(Map.of("slot", key));
  }

  private void handle(Job job) throws Exception {
    Payload p = Json.MAPPER.readValue(job.payload(), Payload.class);
    String resource = "database:" + p.database();
    BackupScheduler scheduler = schedulers.get(p.database());
    if (scheduler == null) {
      String reason = "database " + p.database() + " is no longer configured for scheduled backups (configured: "
          + schedulers.keySet() + "); the retry of " + p.job() + " at " + p.fireAt() + " is given up";
      audit.record(Actor.job("backup-retry"), AuditEvent.failure("backup.retry", resource, reason)
          .with("job", p.job()).with("attempt", job.attempts()).with("final", true));
      throw new PermanentJobException(reason);
    }
    RetryResult r;
    try {
      r = scheduler.retry(p.job(), p.fireAt());
    } catch (IllegalArgumentException e) {
      // an unknown job or a bad backup name: the configuration, not the database, is wrong
      audit.record(Actor.job("backup-retry"), AuditEvent.failure("backup.retry", resource, e.getMessage())
          .with("job", p.job()).with("attempt", job.attempts()).with("final", true));
      throw new PermanentJobException(e.getMessage(), e);
    } catch (RuntimeException e) {
      boolean last = job.attempts() >= job.maxAttempts();
      audit.record(Actor.job("backup-retry"), AuditEvent.failure("backup.retry", resource, String.valueOf(e.getMessage()))
          .with("job", p.job()).with("fire_at", p.fireAt().toString()).with("attempt", job.attempts())
          .with("final", last));
      throw e;
    }
    audit.record(Actor.job("backup-retry"), AuditEvent.success("backup.retry", resource).with("job", p.job())
        .with("fire_at", p.fireAt().toString()).with("attempt", job.attempts()).with("result", r.outcome().name())
        .with("filename", r.filename()).with("message", r.message()));
    LOG.info("retry of backup {} of {} at {}: {}", p.job(), p.database(), p.fireAt(), r.message());
  }

  /** Stops the worker (pending retries stay queued for the next start). */
  @Override
  public synchronized void close() {
    if (worker != null) {
      worker.close();
      worker = null;
    }
  }
}
