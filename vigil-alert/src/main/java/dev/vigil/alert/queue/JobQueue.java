package dev.vigil.alert.queue;

import dev.vigil.core.store.StateStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jdbi.v3.core.statement.StatementContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable priority job queue in the state store (table {@code vigil_alert_job}, migrated by
 * {@code StateStore.migrate("alert")}).
 *
 * <p>Jobs are enqueued once per idempotency key, claimed under a lease (PostgreSQL: {@code FOR UPDATE
 * SKIP LOCKED}, safe across a fleet; SQLite: one {@code UPDATE ... RETURNING} statement, which SQLite
 * runs under its single writer lock), completed, or failed: a transient failure is retried with
 * exponential backoff and jitter until the job's attempts or age run out, a
 * {@link PermanentJobException} dead-letters it at once. Every attempt is logged in
 * {@code vigil_alert_attempt}. A job whose worker died is taken over when its lease ends, so pending
 * work survives a restart; the job's idempotency key lets the receiver drop the rare second delivery of
 * a job that was done but not yet marked done.
 */
public final class JobQueue {
  private static final Logger LOG = LoggerFactory.getLogger(JobQueue.class);
  private static final String COLUMNS = "id, queue, kind, idempotency_key, priority, payload, status, attempts, "
      + "max_attempts, run_at, created_at, expires_at, last_error, finished_at";
  private static final int MAX_ERROR = 2000;

  private final StateStore store;
  private final Clock clock;
  private final QueueOptions options;
  private final DoubleSupplier random;
  private final String claimSql;
  private final Map<String, QueueWorker> workers = new ConcurrentHashMap<>();

  /** A queue with default options and random jitter. */
  public JobQueue(StateStore store, Clock clock) {
    this(store, clock, QueueOptions.defaults(), () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * A queue over {@code store}, migrating its tables.
   *
   * @param random the jitter source, a number in [0, 1) (tests pass a constant)
   */
  public JobQueue(StateStore store, Clock clock, QueueOptions options, DoubleSupplier random) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
    this.random = Objects.requireNonNull(random, "random");
    store.migrate("alert");
    String lock = store.kind() == StateStore.Kind.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
    this.claimSql = "UPDATE vigil_alert_job SET status = 'RUNNING', attempts = attempts + 1, lease_owner = :owner, "
        + "lease_until = :until WHERE id IN (SELECT id FROM vigil_alert_job WHERE queue = :queue AND "
        + "((status = 'PENDING' AND run_at <= :now) OR (status = 'RUNNING' AND lease_until < :now)) "
        + "ORDER BY priority DESC, run_at, id LIMIT :limit" + lock + ") RETURNING " + COLUMNS;
  }

  /** The options in force. */
  public QueueOptions options() {
    return options;
  }

  /** The clock the queue runs on. */
  public Clock clock() {
    return clock;
  }

  /**
   * Adds a job unless one with the same idempotency key exists (in any state).
   *
   * @return whether a job was added
   */
  public boolean enqueue(JobRequest request) {
    long now = clock.millis();
    long runAt = request.runAt() == null ? now : request.runAt().toEpochMilli();
    int added = store.jdbi().withHandle(h -> h.createUpdate("INSERT INTO vigil_alert_job(queue, kind, "
            + "idempotency_key, priority, payload, status, attempts, max_attempts, run_at, created_at, expires_at) "
            + "VALUES (:queue, :kind, :key, :priority, :payload, 'PENDING', 0, :max, :runAt, :now, :expires) "
            + "ON CONFLICT (idempotency_key) DO NOTHING")
        .bind("queue", request.queue()).bind("kind", request.kind()).bind("key", request.idempotencyKey())
        .bind("priority", request.priority()).bind("payload", request.payload())
        .bind("max", options.maxAttempts()).bind("runAt", runAt).bind("now", now)
        .bind("expires", now + options.maxAge().toMillis())
        .execute());
    if (added > 0) {
      QueueWorker w = workers.get(request.queue());
      if (w != null) {
        w.wake();
      }
    }
    return added > 0;
  }

  /**
   * Claims up to {@code limit} due jobs of {@code queue} for {@code owner}, highest priority first,
   * including jobs whose previous lease ran out.
   */
  public List<Job> claim(String queue, String owner, int limit) {
    long now = clock.millis();
    return store.jdbi().inTransaction(h -> {
      List<Job> jobs = new ArrayList<>(h.createQuery(claimSql)
          .bind("owner", owner).bind("until", now + options.lease().toMillis()).bind("queue", queue)
          .bind("now", now).bind("limit", limit)
          .map(JobQueue::job).list());
      jobs.sort((a, b) -> a.priority() != b.priority() ? Integer.compare(b.priority(), a.priority())
          : a.runAt().equals(b.runAt()) ? Long.compare(a.id(), b.id()) : a.runAt().compareTo(b.runAt()));
      return jobs;
    });
  }

  /**
   * Marks a claimed job done.
   *
   * @return false when the claim had been lost (the lease ran out and another worker took the job)
   */
  public boolean complete(Job job, String owner) {
    long now = clock.millis();
    return store.jdbi().inTransaction(h -> {
      int n = h.createUpdate("UPDATE vigil_alert_job SET status = 'DONE', finished_at = :now, lease_owner = NULL, "
              + "lease_until = NULL, last_error = NULL WHERE id = :id AND status = 'RUNNING' AND lease_owner = :owner")
          .bind("now", now).bind("id", job.id()).bind("owner", owner).execute();
      logAttempt(h, job, now, "DONE", null);
      return n > 0;
    });
  }

  /**
   * Records a failed attempt of a claimed job: dead-letters it when {@code permanent}, out of attempts
   * or past its maximum age, otherwise schedules the next attempt with backoff.
   *
   * @param error what went wrong, already free of secrets
   * @return the job's new status (PENDING or DEAD)
   */
  public String fail(Job job, String owner, String error, boolean permanent) {
    long now = clock.millis();
    String message = error == null ? "failed" : error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
    Duration delay = options.backoff(job.attempts(), random.getAsDouble());
    boolean dead = permanent || job.attempts() >= job.maxAttempts() || now + delay.toMillis() > job.expiresAt().toEpochMilli();
    String status = dead ? Job.DEAD : Job.PENDING;
    String reason = dead && !permanent
        ? (job.attempts() >= job.maxAttempts() ? "gave up after " + job.attempts() + " attempts: " : "gave up at maximum age: ")
        + message : message;
    store.jdbi().useTransaction(h -> {
      h.createUpdate("UPDATE vigil_alert_job SET status = :status, run_at = :runAt, last_error = :error, "
              + "lease_owner = NULL, lease_until = NULL, finished_at = :finished WHERE id = :id AND status = 'RUNNING' "
              + "AND lease_owner = :owner")
          .bind("status", status).bind("runAt", dead ? job.runAt().toEpochMilli() : now + delay.toMillis())
          .bind("error", reason).bind("finished", dead ? (Long) now : null).bind("id", job.id()).bind("owner", owner)
          .execute();
      logAttempt(h, job, now, dead ? "DEAD" : "RETRY", reason);
    });
    return status;
  }

  private static void logAttempt(org.jdbi.v3.core.Handle h, Job job, long now, String outcome, String error) {
    h.createUpdate("INSERT INTO vigil_alert_attempt(job_id, attempt, at, outcome, error) VALUES (:id, :attempt, :at, "
            + ":outcome, :error) ON CONFLICT (job_id, attempt) DO UPDATE SET at = :at, outcome = :outcome, error = :error")
        .bind("id", job.id()).bind("attempt", job.attempts()).bind("at", now).bind("outcome", outcome)
        .bind("error", error).execute();
  }

  /**
   * Claims and runs every due job of {@code queue} on the calling thread, one at a time, until none is
   * due. What a worker does each round; tests call it directly with an injected clock.
   *
   * @return how many jobs were attempted
   */
  public int runDue(String queue, String owner, JobHandler handler) {
    int attempted = 0;
    while (true) {
      List<Job> batch = claim(queue, owner, 1);
      if (batch.isEmpty()) {
        return attempted;
      }
      for (Job job : batch) {
        attempted++;
        run(job, owner, handler);
      }
    }
  }

  private void run(Job job, String owner, JobHandler handler) {
    try {
      handler.handle(job);
      complete(job, owner);
    } catch (PermanentJobException e) {
      fail(job, owner, e.getMessage(), true);
      LOG.warn("job {} ({}, queue {}) failed permanently: {}", job.id(), job.kind(), job.queue(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(job, owner, "interrupted while running (shutting down)", false);
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      String status = fail(job, owner, message, false);
      LOG.info("job {} ({}, queue {}) attempt {} failed, now {}: {}", job.id(), job.kind(), job.queue(),
          job.attempts(), status, message);
    }
  }

  /**
   * Starts a worker thread ({@code vigil-queue-<queue>}) that runs the due jobs of {@code queue} with
   * {@code handler}. One worker per queue, so a slow or failing queue never delays another.
   *
   * @throws IllegalStateException when the queue already has a worker
   */
  public QueueWorker start(String queue, JobHandler handler) {
    QueueWorker w = new QueueWorker(this, queue, handler);
    if (workers.putIfAbsent(queue, w) != null) {
      throw new IllegalStateException("queue " + queue + " already has a worker");
    }
    w.start();
    return w;
  }

  void removed(QueueWorker worker) {
    workers.remove(worker.queue(), worker);
  }

  /** When the next job of {@code queue} is due (pending or with a lease running out), if any. */
  public Instant nextDue(String queue) {
    Long at = store.jdbi().withHandle(h -> h.createQuery("SELECT MIN(CASE WHEN status = 'PENDING' THEN run_at "
            + "ELSE lease_until END) FROM vigil_alert_job WHERE queue = :queue AND status IN ('PENDING', 'RUNNING')")
        .bind("queue", queue).mapTo(Long.class).findOne().orElse(null));
    return at == null ? null : Instant.ofEpochMilli(at);
  }

  /**
   * The newest jobs, optionally of one queue and/or status, for {@code GET /api/jobs}.
   *
   * @param queue a queue, or {@code null} for all
   * @param status a status, or {@code null} for all
   */
  public List<Job> jobs(String queue, String status, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM vigil_alert_job WHERE 1 = 1");
    if (queue != null) {
      sql.append(" AND queue = :queue");
    }
    if (status != null) {
      sql.append(" AND status = :status");
    }
    sql.append(" ORDER BY id DESC LIMIT :limit");
    return store.jdbi().withHandle(h -> h.createQuery(sql.toString()).bind("queue", queue).bind("status", status)
        .bind("limit", Math.max(1, Math.min(limit, 10_000))).map(JobQueue::job).list());
  }

  /** The job with {@code idempotencyKey}, if any. */
  public Job find(String idempotencyKey) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM vigil_alert_job "
        + "WHERE idempotency_key = :key").bind("key", idempotencyKey).map(JobQueue::job).findOne().orElse(null));
  }

  /** The attempts of a job, oldest first. */
  public List<Attempt> attempts(long jobId) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT job_id, attempt, at, outcome, error FROM "
            + "vigil_alert_attempt WHERE job_id = :id ORDER BY attempt")
        .bind("id", jobId)
        .map((rs, ctx) -> new Attempt(rs.getLong(1), rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3)),
            rs.getString(4), rs.getString(5)))
        .list());
  }

  /** Jobs per status, over all queues. */
  public Map<String, Long> counts() {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (String s : List.of(Job.PENDING, Job.RUNNING, Job.DONE, Job.DEAD)) {
      out.put(s, 0L);
    }
    store.jdbi().useHandle(h -> h.createQuery("SELECT status, COUNT(*) FROM vigil_alert_job GROUP BY status")
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  /**
   * Deletes DONE and DEAD jobs (and their attempts) finished before {@code cutoff}.
   *
   * @return how many jobs were deleted
   */
  public int purge(Instant cutoff) {
    return store.jdbi().inTransaction(h -> {
      h.createUpdate("DELETE FROM vigil_alert_attempt WHERE job_id IN (SELECT id FROM vigil_alert_job WHERE status IN "
          + "('DONE', 'DEAD') AND finished_at < :cutoff)").bind("cutoff", cutoff.toEpochMilli()).execute();
      return h.createUpdate("DELETE FROM vigil_alert_job WHERE status IN ('DONE', 'DEAD') AND finished_at < :cutoff")
          .bind("cutoff", cutoff.toEpochMilli()).execute();
    });
  }

  /**
   * One attempt of a job.
   *
   * @param jobId the job
   * @param attempt 1 for the first
   * @param at when it ended
   * @param outcome DONE, RETRY or DEAD
   * @param error the failure, if any
   */
  public record Attempt(long jobId, int attempt, Instant at, String outcome, String error) {
  }

  private static Job job(ResultSet rs, StatementContext ctx) throws SQLException {
    long finished = rs.getLong(14);
    boolean noFinish = rs.wasNull();
    return new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getString(6),
        rs.getString(7), rs.getInt(8), rs.getInt(9), Instant.ofEpochMilli(rs.getLong(10)),
        Instant.ofEpochMilli(rs.getLong(11)), Instant.ofEpochMilli(rs.getLong(12)), rs.getString(13),
        noFinish ? null : Instant.ofEpochMilli(finished));
  }
}
