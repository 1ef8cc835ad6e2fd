package dev.vigil.server.optimizer;

import dev.vigil.backup.schedule.Trigger;
import dev.vigil.optimizer.Optimizer;
import dev.vigil.optimizer.RunReport;
import dev.vigil.optimizer.memory.LeakWatch;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the optimizer in the server: once a minute it samples process memory for leak trends and
 * measures the changes under observation; on {@code optimizer.schedule} (when enabled) it runs at the
 * set level. One named thread; closed with the server.
 */
final class OptimizerService implements AutoCloseable {
  /** Weekly, Sunday 03:00 local time. */
  static final String DEFAULT_SCHEDULE = "0 3 * * 0";
  static final String THREAD_NAME = "vigil-optimizer";
  private static final Logger LOG = LoggerFactory.getLogger(OptimizerService.class);

  private final Optimizer optimizer;
  private final LeakWatch leaks;
  private final Trigger schedule;
  private final Clock clock;
  private final AtomicReference<RunReport> lastRun = new AtomicReference<>();
  private final AtomicReference<ZonedDateTime> nextRun = new AtomicReference<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, THREAD_NAME);
    t.setDaemon(true);
    return t;
  });

  OptimizerService(Optimizer optimizer, LeakWatch leaks, String cron, Clock clock) {
    this.optimizer = optimizer;
    this.leaks = leaks;
    this.schedule = Trigger.cron(cron);
    this.clock = clock;
  }

  void start() {
    optimizer.recover().forEach(id -> LOG.warn("optimizer: cleaned up action {} left half applied by a crash", id));
    nextRun.set(schedule.next(ZonedDateTime.now(clock)));
    timer.scheduleWithFixedDelay(this::tick, 1, 60, TimeUnit.SECONDS);
  }

  /** One minute's work; failures are logged and the next minute tries again. */
  void tick() {
    try {
      if (leaks != null) {
        leaks.sample();
      }
      optimizer.observe();
      ZonedDateTime now = ZonedDateTime.now(clock);
      ZonedDateTime due = nextRun.get();
      if (due != null && !now.isBefore(due)) {
        nextRun.set(schedule.next(now));
        if (optimizer.enabled()) {
          lastRun.set(optimizer.run(null, false, false, "job:optimizer"));
        }
      }
    } catch (RuntimeException e) {
      LOG.error("optimizer: scheduled work failed; retrying in a minute", e);
    }
  }

  Optimizer optimizer() {
    return optimizer;
  }

  String schedule() {
    return schedule.describe();
  }

  Optional<ZonedDateTime> nextRun() {
    return Optional.ofNullable(nextRun.get());
  }

  Optional<RunReport> lastRun() {
    return Optional.ofNullable(lastRun.get());
  }

  void recordRun(RunReport report) {
    if (!report.dryRun()) {
      lastRun.set(report);
    }
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException(THREAD_NAME + " did not stop within 10 s");
    }
  }
}
