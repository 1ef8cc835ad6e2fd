package dev.vigil.backup.schedule;

import dev.vigil.backup.BackupRecord;
import dev.vigil.backup.DatabaseBackup;
import dev.vigil.backup.store.BackupRun;
import dev.vigil.backup.verify.VerificationResult;
import dev.vigil.core.store.FleetLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs backups (and verifications of the newest backup) on a schedule: the documented
 * {@code BackupScheduler} with {@code scheduleDaily(hour, minute)}, {@code scheduleEvery(hours)},
 * cron, {@code start()} and {@code jobs()}.
 *
 * <p>Each job's last fire time and result live in the state store. At {@link #start()} a job whose
 * next fire time after its last run has already passed is reported as missed ({@link #missedRuns()},
 * {@code jobs()}, a WARN log) and, unless turned off, run once at once. Every run takes the job's
 * {@link FleetLock} and claims its fire time in the store, so when instances share a PostgreSQL store
 * each fire time runs on one instance only.
 *
 * <p>A scheduled backup that fails is reported to the {@link #onBackupFailure listener} (the server
 * enqueues a durable retry job); {@link #retry} runs the failed slot again, at most once successfully
 * even when a retry is interrupted or delivered twice.
 */
public final class BackupScheduler implements AutoCloseable {
  /** Hour of the daily backup when none is configured (02:00 local time). */
  public static final int DEFAULT_DAILY_HOUR = 2;
  /** Minute of the daily backup when none is configured. */
  public static final int DEFAULT_DAILY_MINUTE = 0;
  /** When the newest backup is verified when nothing else is configured (Unix cron: 04:00 daily). */
  public static final String DEFAULT_VERIFY_CRON = "0 4 * * *";
  /** Attempts of the retry of a failed scheduled backup before it is given up (dead-lettered). */
  public static final int DEFAULT_RETRY_MAX_ATTEMPTS = 8;
  /** First delay before a failed scheduled backup is retried; each further attempt doubles it. */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMinutes(1);
  /** Longest delay between retries of a failed scheduled backup. */
  public static final Duration DEFAULT_RETRY_BACKOFF_MAX = Duration.ofMinutes(30);
  /** After this a failed scheduled backup is no longer retried (the next fire time is near enough). */
  public static final Duration DEFAULT_RETRY_MAX_AGE = Duration.ofHours(12);
  /** Failures kept while no listener is attached yet (the server attaches one just after start). */
  private static final int MAX_UNHEARD = 100;
  private static final Logger LOG = LoggerFactory.getLogger(BackupScheduler.class);

  /** What a job does. */
  public enum JobKind {
    /** {@code createBackup("backup")}: backup, verification (when on) and retention. */
    BACKUP,
    /** {@code verifyNewest()}: checksum and test restore of the newest backup. */
    VERIFY;

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final DatabaseBackup backup;
  private final Clock clock;
  private final FleetLock fleetLock;
  private final JobStore store;
  private final boolean catchUpMissed;
  private final Duration lease;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final List<FailedRun> unheard = new ArrayList<>();
  private Consumer<FailedRun> failureListener;
  private ScheduledExecutorService executor;
  private boolean closed;

  /** A scheduler for {@code backup} with the defaults: its store and clock, catch-up of missed runs on. */
  public BackupScheduler(DatabaseBackup backup) {
    this(builder(backup));
  }

  private BackupScheduler(Builder b) {
    this.backup = b.backup;
    this.clock = b.clock;
    this.fleetLock = b.fleetLock != null ? b.fleetLock : new FleetLock(backup.stateStore(), clock);
    this.store = new JobStore(backup.stateStore());
    this.catchUpMissed = b.catchUpMissed;
    this.lease = b.lease;
  }

  /** A builder for a scheduler of {@code backup}. */
  public static Builder builder(DatabaseBackup backup) {
    return new Builder(backup);
  }

  /** Backs up every day at {@code hour:minute} (the documented {@code schedule_daily_backup}); returns the job name. */
  public String scheduleDaily(int hour, int minute) {
    Trigger t = Trigger.daily(hour, minute);
    return schedule(String.format(Locale.ROOT, "backup-daily-%02d%02d", hour, minute), t, JobKind.BACKUP);
  }

  /** Backs up every {@code hours} hours (the documented {@code schedule_interval_backup}); returns the job name. */
  public String scheduleEvery(int hours) {
    if (hours < 1) {
      throw new IllegalArgumentException("hours must be at least 1; got " + hours);
    }
    return scheduleEvery(Duration.ofHours(hours));
  }

  /** Backs up every {@code period}; returns the job name. */
  public String scheduleEvery(Duration period) {
    Trigger t = Trigger.every(period);
    return schedule("backup-" + t.describe().replace(' ', '-'), t, JobKind.BACKUP);
  }

  /** Backs up on a Unix cron expression, e.g. {@code 0 2,14 * * *}; returns the job name. */
  public String scheduleCron(String expression) {
    Trigger t = Trigger.cron(expression);
    return schedule("backup-cron-" + expression.strip().replaceAll("\\s+", "_"), t, JobKind.BACKUP);
  }

  /** Verifies the newest backup on {@code trigger}; returns the job name. */
  public String scheduleVerify(Trigger trigger) {
    return schedule("verify-" + trigger.describe().replaceAll("\\s+", "-"), trigger, JobKind.VERIFY);
  }

  /**
   * Adds a job (armed at once when the scheduler already runs).
   *
   * @throws IllegalArgumentException when a job of that name exists
   */
  public synchronized String schedule(String name, Trigger trigger, JobKind kind) {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(kind, "kind");
    if (name == null || name.isBlank() || name.length() > 100) {
      throw new IllegalArgumentException("job name must be 1-100 characters");
    }
    if (jobs.containsKey(name)) {
      throw new IllegalArgumentException("a job named " + name + " is already scheduled");
    }
    Job job = new Job(name, trigger, kind);
    jobs.put(name, job);
    if (executor != null && !closed) {
      arm(job);
    }
    return name;
  }

  /**
   * Starts the jobs: reports runs missed while nothing ran, runs each missed job once (unless turned
   * off) and arms every job for its next fire time.
   *
   * @throws IllegalStateException when already started or closed
   */
  public synchronized void start() {
    if (executor != null || closed) {
      throw new IllegalStateException("the backup scheduler of " + backup.name() + " is "
          + (closed ? "closed" : "already started"));
    }
    ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "vigil-backup-scheduler-" + backup.name());
      t.setDaemon(true);
      return t;
    });
    ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    ex.setRemoveOnCancelPolicy(true);
    executor = ex;
    jobs.values().forEach(this::arm);
  }

  /**
   * The jobs with their next fire time, trigger and last result (the documented {@code get_jobs()}). Before
   * {@link #start()} the next fire time is the trigger's next one from now (what {@code vigil backup
   * jobs} shows with no server running).
   */
  public synchronized List<JobInfo> jobs() {
    List<JobInfo> out = new ArrayList<>();
    for (Job j : jobs.values()) {
      Optional<JobStore.State> s = store.load(key(j));
      MissedRun m = j.missed;
      ZonedDateTime next = j.next != null ? j.next : j.trigger.next(ZonedDateTime.now(clock));
      out.add(new JobInfo(j.name, next.toLocalDateTime().truncatedTo(ChronoUnit.SECONDS), j.trigger.describe(),
          j.kind.id(),
          s.map(JobStore.State::lastFireAt).map(this::local).orElse(null),
          s.map(JobStore.State::status).orElse(null), s.map(JobStore.State::message).orElse(null),
          m == null ? 0 : m.count(), m == null ? null : m.firstMissed()));
    }
    return out;
  }

  /** Runs missed while no scheduler ran, as found by {@link #start()}. */
  public synchronized List<MissedRun> missedRuns() {
    return jobs.values().stream().map(j -> j.missed).filter(Objects::nonNull).toList();
  }

  /**
   * Runs a job now in the calling thread (still once per fleet), without changing its schedule.
   *
   * @return the job after the run
   * @throws IllegalArgumentException for an unknown job
   */
  public JobInfo runNow(String name) {
    Job job;
    synchronized (this) {
      job = jobs.get(name);
    }
    if (job == null) {
      throw new IllegalArgumentException("no job named " + name);
    }
    fire(job, ZonedDateTime.now(clock));
    return jobs().stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow();
  }

  /**
   * Tells {@code listener} of every scheduled backup that fails (not of a backup whose verification
   * failed: that file exists, and another would not fix it). Failures that happened before a listener
   * was attached (a missed run caught up at start) are told at once. Called on the scheduler's thread
   * while the job's fleet lock is held; the listener should only enqueue.
   *
   * @throws IllegalStateException when a listener is already attached
   */
  public void onBackupFailure(Consumer<FailedRun> listener) {
    Objects.requireNonNull(listener, "listener");
    List<FailedRun> earlier;
    synchronized (this) {
      if (failureListener != null) {
        throw new IllegalStateException("the backup scheduler of " + backup.name() + " already has a failure listener");
      }
      failureListener = listener;
      earlier = List.copyOf(unheard);
      unheard.clear();
    }
    earlier.forEach(this::report);
  }

  private void report(FailedRun failed) {
    Consumer<FailedRun> listener;
    synchronized (this) {
      listener = failureListener;
      if (listener == null) {
        if (unheard.size() < MAX_UNHEARD) {
          unheard.add(failed);
        }
        return;
      }
    }
    try {
      listener.accept(failed);
    } catch (RuntimeException e) {
      LOG.error("the failed backup {} of {} at {} could not be queued for a retry: {}", failed.job(), backup.name(),
          failed.fireAt(), e.getMessage(), e);
    }
  }

  /**
   * Runs the failed backup slot {@code fireAt} of job {@code jobName} again, in the calling thread, under
   * the job's fleet lock. Nothing is run when the slot has succeeded since, when a later fire time has
   * run, or when an earlier retry of it took the backup before being interrupted (its successful run is
   * in the run history): so a retry delivered twice, or after a crash, never backs up twice.
   *
   * @return what was done
   * @throws IllegalArgumentException when the job does not exist or is not a backup job (retrying cannot fix it)
   * @throws IllegalStateException when a run of the job holds its fleet lock now (retry later)
   * @throws dev.vigil.backup.BackupException when the backup failed again
   */
  public RetryResult retry(String jobName, Instant fireAt) {
    Objects.requireNonNull(fireAt, "fireAt");
    Job job;
    synchronized (this) {
      job = jobs.get(jobName);
    }
    if (job == null || job.kind != JobKind.BACKUP) {
      throw new IllegalArgumentException("database " + backup.name() + " has no scheduled backup job named " + jobName
          + " (its jobs: " + jobNames() + "); the schedule changed since the backup failed");
    }
    String key = key(job);
    return fleetLock.runExclusive("vigil-backup-job:" + key, lease, () -> retryLocked(job, key, fireAt))
        .orElseThrow(() -> new IllegalStateException("a run of backup job " + jobName + " of " + backup.name()
            + " is in progress (here or on another instance)"));
  }

  private synchronized List<String> jobNames() {
    return List.copyOf(jobs.keySet());
  }

  private RetryResult retryLocked(Job job, String key, Instant fireAt) {
    JobStore.State s = store.load(key).orElseThrow(() -> new IllegalArgumentException("backup job " + job.name
        + " of " + backup.name() + " has no recorded run to retry"));
    if (s.lastFireAt() == null || s.lastFireAt().toEpochMilli() != fireAt.toEpochMilli()) {
      return new RetryResult(backup.name(), job.name, fireAt, RetryResult.Outcome.SUPERSEDED, null,
          "fire time " + s.lastFireAt() + " has run since; its result (" + s.status() + ") stands");
    }
    if ("SUCCEEDED".equals(s.status())) {
      return new RetryResult(backup.name(), job.name, fireAt, RetryResult.Outcome.ALREADY_SUCCEEDED, s.message(),
          "the slot already succeeded: " + s.message());
    }
    if (("RETRYING".equals(s.status()) || "RUNNING".equals(s.status())) && s.startedAt() != null) {
      // interrupted: a backup it took may have been recorded before the crash
      Optional<BackupRun> done = backup.runs(100).stream().filter(r -> "BACKUP".equals(r.operation())
          && BackupRun.SUCCEEDED.equals(r.status()) && !r.startedAt().isBefore(s.startedAt())).findFirst();
      if (done.isPresent()) {
        store.finish(key, "SUCCEEDED", done.get().filename(), clock.instant());
        return new RetryResult(backup.name(), job.name, fireAt, RetryResult.Outcome.ALREADY_BACKED_UP,
            done.get().filename(), "an interrupted run had taken " + done.get().filename() + "; not run again");
      }
    }
    if (!store.markRetrying(key, fireAt, fleetLock.owner(), clock.instant())) {
      return new RetryResult(backup.name(), job.name, fireAt, RetryResult.Outcome.SUPERSEDED, null,
          "a later fire time has run since");
    }
    BackupRecord r;
    try {
      r = backup.createBackup(DatabaseBackup.DEFAULT_PREFIX);
    } catch (RuntimeException e) {
      store.finish(key, "FAILED", e.getMessage(), clock.instant());
      throw e;
    }
    if (r.verification() != null && !r.verification().ok()) {
      String message = r.filename() + " written but verification failed: " + r.verification().message();
      store.finish(key, "FAILED", message, clock.instant());
      return new RetryResult(backup.name(), job.name, fireAt, RetryResult.Outcome.BACKED_UP_UNVERIFIED, r.filename(),
          message);
    }
    store.finish(key, "SUCCEEDED", r.filename(), clock.instant());
    return new RetryResult(backup.name(), job.name, fireAt, RetryResult.Outcome.BACKED_UP, r.filename(),
        "backed up to " + r.filename());
  }

  /** Stops the jobs: pending fire times are dropped, a running backup may finish (up to a minute). */
  @Override
  public void close() {
    ScheduledExecutorService ex;
    synchronized (this) {
      closed = true;
      ex = executor;
    }
    if (ex == null) {
      return;
    }
    ex.shutdown();
    try {
      if (!ex.awaitTermination(60, TimeUnit.SECONDS)) {
        ex.shutdownNow();
      }
    } catch (InterruptedException e) {
      ex.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void arm(Job job) {
    ZonedDateTime now = ZonedDateTime.now(clock);
    Optional<JobStore.State> s = store.load(key(job));
    Instant last = s.map(JobStore.State::lastFireAt).orElse(null);
    if (last == null) {
      scheduleAt(job, job.trigger.next(now), false);
      return;
    }
    ZonedDateTime due = job.trigger.next(last.atZone(clock.getZone()));
    if (due.isAfter(now)) {
      scheduleAt(job, due, false);
      return;
    }
    ZonedDateTime first = due;
    ZonedDateTime lastMissed = due;
    int count = 0;
    while (!due.isAfter(now) && count < 1000) {
      lastMissed = due;
      count++;
      due = job.trigger.next(due);
    }
    job.missed = new MissedRun(job.name, first.toLocalDateTime(), lastMissed.toLocalDateTime(), count);
    LOG.warn("backup job {} of {} missed {} run(s) since {} while no scheduler was running{}", job.name,
        backup.name(), count, first.toLocalDateTime(), catchUpMissed ? "; running it once now" : "");
    if (catchUpMissed) {
      scheduleAt(job, lastMissed, true);
    } else {
      scheduleAt(job, due, false);
    }
  }

  private void scheduleAt(Job job, ZonedDateTime fireAt, boolean now) {
    job.next = fireAt;
    long delay = now ? 0 : Math.max(0, Duration.between(clock.instant(), fireAt.toInstant()).toMillis());
    executor.schedule(() -> {
      fire(job, fireAt);
      synchronized (this) {
        if (!closed) {
          scheduleAt(job, following(job, fireAt), false);
        }
      }
    }, delay, TimeUnit.MILLISECONDS);
  }

  private ZonedDateTime following(Job job, ZonedDateTime fireAt) {
    ZonedDateTime now = ZonedDateTime.now(clock);
    ZonedDateTime next = job.trigger.next(fireAt);
    while (!next.isAfter(now)) {
      next = job.trigger.next(next);
    }
    return next;
  }

  private void fire(Job job, ZonedDateTime fireAt) {
    String key = key(job);
    try {
      Optional<Boolean> ran = fleetLock.runExclusive("vigil-backup-job:" + key, lease, () -> {
        if (!store.claim(key, fireAt.toInstant(), fleetLock.owner(), clock.instant())) {
          return false;
        }
        String status = "SUCCEEDED";
        String message;
        FailedRun failed = null;
        try {
          if (job.kind == JobKind.BACKUP) {
            BackupRecord r = backup.createBackup(DatabaseBackup.DEFAULT_PREFIX);
            message = r.filename();
            if (r.verification() != null && !r.verification().ok()) {
              status = "FAILED";
              message = r.filename() + " written but verification failed: " + r.verification().message();
            }
          } else {
            Optional<VerificationResult> v = backup.verifyNewest();
            message = v.map(r -> r.filename() + ": " + r.message()).orElse("no backup to verify");
            if (v.isPresent() && !v.get().ok()) {
              status = "FAILED";
            }
          }
        } catch (RuntimeException e) {
          status = "FAILED";
          message = e.getMessage();
          LOG.error("scheduled job {} of {} failed: {}", job.name, backup.name(), e.getMessage(), e);
          if (job.kind == JobKind.BACKUP) {
            failed = new FailedRun(backup.name(), job.name, fireAt.toInstant(), message);
          }
        }
        if (failed != null) {
          // before the result is stored: a crash in between leaves the slot RUNNING with its retry queued;
          // the retry waits for this run's fleet lock, so it never overlaps it
          report(failed);
        }
        store.finish(key, status, message, clock.instant());
        return true;
      });
      if (ran.isEmpty() || !ran.get()) {
        LOG.info("job {} of {} for {} ran on another instance", job.name, backup.name(), fireAt.toLocalDateTime());
      }
    } catch (RuntimeException e) {
      LOG.error("scheduled job {} of {} could not run (state store unavailable?): {}", job.name, backup.name(),
          e.getMessage(), e);
    }
  }

  private String key(Job job) {
    return backup.name() + "/" + job.name;
  }

  private LocalDateTime local(Instant i) {
    return LocalDateTime.ofInstant(i, clock.getZone());
  }

  private static final class Job {
    final String name;
    final Trigger trigger;
    final JobKind kind;
    volatile ZonedDateTime next;
    volatile MissedRun missed;

    Job(String name, Trigger trigger, JobKind kind) {
      this.name = name;
      this.trigger = trigger;
      this.kind = kind;
    }
  }

  /** Options for a {@link BackupScheduler}. */
  public static final class Builder {
    private final DatabaseBackup backup;
    private Clock clock;
    private FleetLock fleetLock;
    private boolean catchUpMissed = true;
    private Duration lease = Duration.ofHours(6);

    private Builder(DatabaseBackup backup) {
      this.backup = Objects.requireNonNull(backup, "backup");
      this.clock = backup.clock();
    }

    /** The clock for fire times (default: the backup's clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The fleet lock (default: one on the backup's state store, with a random owner id). */
    public Builder fleetLock(FleetLock lock) {
      this.fleetLock = Objects.requireNonNull(lock, "lock");
      return this;
    }

    /** Whether {@code start()} runs a job once when runs were missed (default true). */
    public Builder catchUpMissed(boolean catchUp) {
      this.catchUpMissed = catchUp;
      return this;
    }

    /** How long a run may hold its fleet lock before another instance may take over (default 6 h). */
    public Builder lease(Duration lease) {
      this.lease = Objects.requireNonNull(lease, "lease");
      return this;
    }

    /** Creates the scheduler (not started). */
    public BackupScheduler build() {
      return new BackupScheduler(this);
    }
  }
}
