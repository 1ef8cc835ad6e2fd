package dev.vigil.logging.audit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micrometer meters of an {@link AuditLog}, with the chain verified again in the background every
 * {@code interval} (on thread {@code vigil-audit-verify}), so a tampered trail shows up on a scrape
 * without a scrape paying for the verification:
 * <ul>
 *   <li>{@code vigil_audit_chain_intact}: 1 when the latest verification found the chain intact, 0 when
 *       tampered or when verifying failed, NaN before the first one</li>
 *   <li>{@code vigil_audit_last_verify_timestamp_seconds}: when that verification finished</li>
 *   <li>{@code vigil_audit_records_total}: records appended to the chain (the newest seq)</li>
 * </ul>
 */
public final class AuditMetrics implements MeterBinder, AutoCloseable {
  /** How often the background verification runs by default. */
  public static final Duration DEFAULT_VERIFY_INTERVAL = Duration.ofMinutes(5);
  private static final Logger LOG = LoggerFactory.getLogger(AuditMetrics.class);

  private final AuditLog log;
  private final Clock clock;
  private final Duration interval;
  private final ScheduledExecutorService verifier = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "vigil-audit-verify");
    t.setDaemon(true);
    return t;
  });
  private volatile double intact = Double.NaN;
  private volatile double verifiedAt = Double.NaN;

  /**
   * Meters over {@code log}; call {@link #start()} to verify in the background.
   *
   * @param interval time between background verifications
   */
  public AuditMetrics(AuditLog log, Clock clock, Duration interval) {
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("audit verify interval must be positive, got " + interval);
    }
    this.interval = interval;
  }

  /** Binds the meters of {@code log} to {@code registry} and starts verifying every {@link #DEFAULT_VERIFY_INTERVAL}. */
  public static AuditMetrics start(AuditLog log, MeterRegistry registry, Clock clock) {
    AuditMetrics m = new AuditMetrics(log, clock, DEFAULT_VERIFY_INTERVAL);
    m.bindTo(registry);
    m.start();
    return m;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("vigil.audit.chain.intact", this, m -> m.intact).strongReference(true)
        .description("1 when the latest verification found the audit chain intact, 0 when not").register(registry);
    Gauge.builder("vigil.audit.last.verify.timestamp", this, m -> m.verifiedAt).strongReference(true).baseUnit("seconds")
        .description("when the audit chain was last verified").register(registry);
    FunctionCounter.builder("vigil.audit.records", log, AuditLog::lastSeq)
        .description("records appended to the audit chain").register(registry);
  }

  /** Verifies now, then every interval, in the background. */
  public void start() {
    verifier.scheduleWithFixedDelay(this::verifyQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Verifies the chain now and updates the gauges; a failure to verify counts as not intact and is thrown. */
  public VerifyResult verifyNow() {
    try {
      VerifyResult r = log.verify();
      intact = r.ok() ? 1 : 0;
      if (!r.ok()) {
        LOG.error("audit chain {}", r.summary());
      }
      return r;
    } catch (RuntimeException e) {
      intact = 0;
      throw e;
    } finally {
      verifiedAt = clock.millis() / 1000.0;
    }
  }

  private void verifyQuietly() {
    try {
      verifyNow();
    } catch (RuntimeException e) {
      LOG.error("verifying the audit chain {} failed: {}", log.file(), e.getMessage(), e);
    }
  }

  /** Stops the background verification (waits for one in progress). */
  @Override
  public void close() {
    verifier.shutdown(); // no interrupt: it would close the log's lock file channel mid-verification
    try {
      if (!verifier.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("audit verification did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
