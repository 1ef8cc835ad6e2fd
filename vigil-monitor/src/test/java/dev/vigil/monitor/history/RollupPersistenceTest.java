package dev.vigil.monitor.history;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.TestStores;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.testing.MutableClock;
import dev.vigil.monitor.testing.SteerableMetricSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/** Minute and hour roll-ups in the state store survive a restart, on SQLite and PostgreSQL. */
class RollupPersistenceTest {
  private static final Instant T0 = Instant.parse("2026-02-01T10:00:00Z");

  /** Samples every 10 s from {@code from} (inclusive) for {@code count} readings, CPU = 10 * (i % 6). */
  private static void feed(SystemMonitor m, MutableClock clock, AtomicInteger i, int count) {
    for (int n = 0; n < count; n++) {
      m.sampleNow();
      i.incrementAndGet();
      clock.advance(Duration.ofSeconds(10));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void rollUpsSurviveARestartOverTheSameStore(StateStore.Kind kind, @TempDir Path dir) {
    MutableClock clock = MutableClock.at(T0);
    AtomicInteger i = new AtomicInteger();
    SteerableMetricSource source = new SteerableMetricSource().cpu(() -> 10 * (i.get() % 6));
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      // 10:00:00 .. 10:03:20: minutes 10:00, 10:01, 10:02 complete (6 readings each), 10:03 partial (3 readings)
      try (SystemMonitor first = SystemMonitor.builder().source(source).clock(clock).store(h.store()).host("web-1").build()) {
        feed(first, clock, i, 21);
      }
      try (StateStore reopened = StateStore.open(h.url(), dir);
           SystemMonitor second = SystemMonitor.builder().source(source).clock(clock).store(reopened).host("web-1").build()) {
        History minutes = second.history("cpu_percent", T0, T0.plus(Duration.ofMinutes(5)), Duration.ofMinutes(1));
        assertThat(minutes.tier()).isEqualTo(Tier.MINUTE);
        assertThat(minutes.points()).hasSize(4);
        assertThat(minutes.points().subList(0, 3)).allSatisfy(p -> {
          assertThat(p.count()).isEqualTo(6);
          assertThat(p.min()).isEqualTo(0);
          assertThat(p.max()).isEqualTo(50);
          assertThat(p.avg()).isEqualTo(25);
        });
        assertThat(minutes.points().get(3).count()).isEqualTo(3);
        assertThat(minutes.points().get(3).time()).isEqualTo(T0.plus(Duration.ofMinutes(3)));

        History hours = second.history("cpu_percent", T0, T0.plus(Duration.ofHours(1)), Duration.ofHours(1));
        assertThat(hours.tier()).isEqualTo(Tier.HOUR);
        assertThat(hours.points()).singleElement().satisfies(p -> {
          assertThat(p.count()).isEqualTo(21);
          assertThat(p.min()).isEqualTo(0);
          assertThat(p.max()).isEqualTo(50);
        });

        // the interrupted minute continues after the restart and merges with what was written before it
        feed(second, clock, i, 4);
        History merged = second.history("cpu_percent", T0.plus(Duration.ofMinutes(3)), T0.plus(Duration.ofMinutes(4)),
            Duration.ofMinutes(1));
        assertThat(merged.points()).singleElement().satisfies(p -> assertThat(p.count()).isEqualTo(6));

        // another host's roll-ups in the same store are its own
        try (SystemMonitor other = SystemMonitor.builder().source(source).clock(clock).store(reopened).host("web-2").build()) {
          assertThat(other.history("cpu_percent", T0, T0.plus(Duration.ofHours(1)), Duration.ofMinutes(1)).points())
              .hasSize(0);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void minutesExpireAfterSevenDaysWhileHoursStay(StateStore.Kind kind, @TempDir Path dir) {
    MutableClock clock = MutableClock.at(T0);
    AtomicInteger i = new AtomicInteger();
    SteerableMetricSource source = new SteerableMetricSource().cpu(42);
    try (TestStores.Handle h = TestStores.open(kind, dir);
         SystemMonitor m = SystemMonitor.builder().source(source).clock(clock).store(h.store()).host("web-1").build()) {
      feed(m, clock, i, 12);
      clock.set(T0.plus(Duration.ofDays(8)));
      feed(m, clock, i, 7);
      int oldMinutes = h.store().jdbi().withHandle(x -> x.createQuery(
          "SELECT COUNT(*) FROM monitor_rollup_1m WHERE host = 'web-1' AND bucket < :cut")
          .bind("cut", T0.plus(Duration.ofDays(1)).toEpochMilli()).mapTo(Integer.class).one());
      assertThat(oldMinutes).isZero();
      History old = m.history("cpu_percent", T0, T0.plus(Duration.ofDays(1)), Duration.ofMinutes(1));
      assertThat(old.tier()).isEqualTo(Tier.HOUR);
      assertThat(old.stepSeconds()).isEqualTo(3600);
      assertThat(old.points()).singleElement().satisfies(p -> {
        assertThat(p.count()).isEqualTo(12);
        assertThat(p.avg()).isEqualTo(42);
      });
    }
  }

  @Test
  void aStoreThatFailsIsLoggedAndSamplingGoesOn(@TempDir Path dir) {
    MutableClock clock = MutableClock.at(T0);
    AtomicInteger i = new AtomicInteger();
    SteerableMetricSource source = new SteerableMetricSource().cpu(() -> i.get());
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger logger = (Logger) LoggerFactory.getLogger(Rollups.class);
    logger.addAppender(log);
    try (TestStores.Handle h = TestStores.open(StateStore.Kind.SQLITE, dir);
         SystemMonitor m = SystemMonitor.builder().source(source).clock(clock).store(h.store()).host("web-1").build()) {
      feed(m, clock, i, 7);
      h.store().close();
      feed(m, clock, i, 12);
      assertThat(m.metricsSummary(19).readings()).isEqualTo(19);
      assertThat(log.list).isNotEmpty().allSatisfy(e -> assertThat(e.getFormattedMessage())
          .contains("cannot write").contains("roll-ups to the state store").contains("retry"));
    } finally {
      logger.detachAppender(log);
    }
  }
}
