package dev.vigil.monitor.apm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.monitor.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PerformanceMonitorTest {
  private final MutableClock clock = MutableClock.at("2026-04-01T08:00:00Z");
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(PerformanceMonitor.class);

  @BeforeEach
  void capture() {
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void release() {
    logger.detachAppender(log);
  }

  private PerformanceMonitor monitor() {
    return new PerformanceMonitor(ApmOptions.defaults().withClock(clock));
  }

  @Test
  void slowQueriesAreWarnedWithTheirDurationAndWithoutTheirValues() {
    PerformanceMonitor apm = monitor();
    apm.trackQuery("SELECT * FROM users WHERE id = 42", Duration.ofMillis(120));
    assertThat(log.list).isEmpty();
    apm.trackQuery("UPDATE users SET password = 'hunter2' WHERE email = 'a@b.c'", Duration.ofMillis(734));
    assertThat(log.list).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage())
          .isEqualTo("slow query took 734 ms (threshold 500 ms): UPDATE users SET password = ? WHERE email = ?")
          .doesNotContain("hunter2");
      assertThat(e.getKeyValuePairs()).anySatisfy(kv -> {
        assertThat(kv.key).isEqualTo("duration_ms");
        assertThat(kv.value).isEqualTo(734L);
      });
    });
    assertThat(apm.query("SELECT * FROM users WHERE id = 7").orElseThrow().count()).isEqualTo(1);
  }

  @Test
  void slowOperationsAreWarnedAndThresholdsAreConfigurable() {
    PerformanceMonitor apm = new PerformanceMonitor(ApmOptions.defaults().withClock(clock)
        .withSlow(Duration.ofMillis(50), Duration.ofMillis(200)));
    apm.trackOperation("performAnalysis", Duration.ofMillis(150));
    assertThat(log.list).isEmpty();
    apm.trackOperation("performAnalysis", Duration.ofMillis(250));
    apm.trackQuery("SELECT 1", Duration.ofMillis(60));
    assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "slow operation performAnalysis took 250 ms (threshold 200 ms)",
        "slow query took 60 ms (threshold 50 ms): SELECT ?");
    LatencyStats op = apm.operation("performAnalysis").orElseThrow();
    assertThat(op.count()).isEqualTo(2);
    assertThat(op.slow()).isEqualTo(1);
    assertThat(apm.report().slowOperationThresholdMs()).isEqualTo(200);
  }

  @Test
  void percentilesPerName() {
    PerformanceMonitor apm = monitor();
    for (int ms = 1; ms <= 100; ms++) {
      apm.trackOperation("load", Duration.ofMillis(ms));
      apm.trackOperation("save", Duration.ofMillis(1000 + ms));
    }
    LatencyStats load = apm.operation("load").orElseThrow();
    assertThat(load.count()).isEqualTo(100);
    assertThat(load.p50Ms()).isCloseTo(50, within(1.5));
    assertThat(load.p95Ms()).isCloseTo(95, within(2.0));
    assertThat(load.p99Ms()).isCloseTo(99, within(2.0));
    assertThat(load.maxMs()).isEqualTo(100);
    assertThat(load.meanMs()).isCloseTo(50.5, within(0.01));
    assertThat(apm.report().operations()).extracting(LatencyStats::name).containsExactly("save", "load");
  }

  @Test
  void recentFiguresExpireWithTheWindowWhileTotalsStay() {
    PerformanceMonitor apm = monitor();
    apm.trackOperation("job", Duration.ofMillis(10));
    apm.trackOperation("job", Duration.ofMillis(20), true);
    LatencyStats now = apm.operation("job").orElseThrow();
    assertThat(now.recentCount()).isEqualTo(2);
    assertThat(now.errorRate()).isEqualTo(0.5);
    clock.advance(Duration.ofMinutes(6));
    LatencyStats later = apm.operation("job").orElseThrow();
    assertThat(later.count()).isEqualTo(2);
    assertThat(later.errors()).isEqualTo(1);
    assertThat(later.recentCount()).isZero();
    assertThat(later.p95Ms()).isZero();
    assertThat(later.windowSeconds()).isEqualTo(300);
  }

  @Test
  void timeOperationCountsAFailureAndRethrows() throws Exception {
    PerformanceMonitor apm = monitor();
    assertThat(apm.timeOperation("ok", () -> 7)).isEqualTo(7);
    assertThatThrownBy(() -> apm.timeOperation("boom", () -> {
      throw new IllegalStateException("broken");
    })).isInstanceOf(IllegalStateException.class).hasMessage("broken");
    assertThat(apm.operation("boom").orElseThrow().errors()).isEqualTo(1);
    assertThat(apm.operation("ok").orElseThrow().errors()).isZero();
  }

  @Test
  void badInputIsRefused() {
    PerformanceMonitor apm = monitor();
    assertThatThrownBy(() -> apm.trackQuery(" ", Duration.ofMillis(1))).hasMessageContaining("query");
    assertThatThrownBy(() -> apm.trackOperation("x", Duration.ofMillis(-1))).hasMessageContaining("negative");
    assertThatThrownBy(() -> apm.trackOperation("", Duration.ofMillis(1))).hasMessageContaining("operation name");
    assertThatThrownBy(() -> ApmOptions.defaults().withSlow(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("slow query");
  }

  @Test
  void namesBeyondTheCapAreCountedTogether() {
    PerformanceMonitor apm = new PerformanceMonitor(new ApmOptions(Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(200), Duration.ofMinutes(5), 3, clock));
    for (int i = 0; i < 10; i++) {
      apm.trackOperation("op" + i, Duration.ofMillis(1));
    }
    assertThat(apm.report().operations()).hasSize(4).extracting(LatencyStats::name).contains(ApmOptions.OTHER);
    assertThat(apm.operation(ApmOptions.OTHER).orElseThrow().count()).isEqualTo(7);
  }

  @Test
  void exportsTotalsToMicrometer() {
    PerformanceMonitor apm = monitor();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    apm.bindTo(registry);
    apm.trackQuery("SELECT 1", Duration.ofMillis(900));
    apm.trackQuery("SELECT 2", Duration.ofMillis(9));
    apm.trackOperation("x", Duration.ofMillis(9));
    assertThat(registry.get("vigil.apm.queries").functionCounter().count()).isEqualTo(2);
    assertThat(registry.get("vigil.apm.slow.queries").functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("vigil.apm.operations").functionCounter().count()).isEqualTo(1);
  }

  @Test
  void sqlShapes() {
    assertThat(SqlShape.of("select *\n  from t where a = 'x''y' and b=12.5 -- note\n and c in (1, 2, 3)"))
        .isEqualTo("select * from t where a = ? and b=? and c IN (?)");
    assertThat(SqlShape.of("INSERT INTO t (a, b) VALUES (1, 'a'), (2, 'b'), (3, 'c')"))
        .isEqualTo("INSERT INTO t (a, b) VALUES (?, ?), ...");
    assertThat(SqlShape.of("SELECT col1, t2.x3 FROM tab2 /* hint */ WHERE $$secret$$ = v"))
        .isEqualTo("SELECT col1, t2.x3 FROM tab2 WHERE ? = v");
    assertThat(SqlShape.of("SELECT " + "x, ".repeat(100) + "y")).hasSize(200).endsWith("…");
  }
}
