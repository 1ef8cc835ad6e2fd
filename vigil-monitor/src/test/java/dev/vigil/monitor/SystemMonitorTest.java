package dev.vigil.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.monitor.health.HealthLevel;
import dev.vigil.monitor.health.Thresholds;
import dev.vigil.monitor.host.HostMetrics;
import dev.vigil.monitor.process.ProcessInfo;
import dev.vigil.monitor.process.ProcessOrder;
import dev.vigil.monitor.testing.MutableClock;
import dev.vigil.monitor.testing.SteerableMetricSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SystemMonitorTest {

  @Test
  void oneLoadedCoreRaisesCpuPercentOnTheRealHost() {
    try (SystemMonitor monitor = new SystemMonitor(Thresholds.defaults())) {
      double idle = monitor.currentMetrics().cpuPercent();
      AtomicBoolean stop = new AtomicBoolean();
      Thread busy = new Thread(() -> {
        while (!stop.get()) {
          Thread.onSpinWait();
        }
      }, "busy-core");
      busy.setDaemon(true);
      busy.start();
      try {
        int cores = monitor.currentMetrics().cpuCount();
        double expected = Math.min(100.0 / cores * 0.8, 100);
        long self = ProcessHandle.current().pid();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] last = {threads.getThreadCpuTime(busy.getId()), System.nanoTime()};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(600)).untilAsserted(() -> {
          HostMetrics m = monitor.sampleNow().metrics();
          assertThat(m.cpuPercent()).isGreaterThanOrEqualTo(expected);
          assertThat(m.cpuPerCorePercent().stream().mapToDouble(Double::doubleValue).max().orElse(0)).isGreaterThan(50);
          // the busy thread shares the cores with whatever else runs here (other builds, a load of 20 on two
          // cores): compare this JVM's share with the CPU the busy thread really got since the last poll
          ProcessInfo me = monitor.processMetrics(50).stream().filter(p -> p.pid() == self).findFirst().orElseThrow();
          long cpu = threads.getThreadCpuTime(busy.getId());
          long now = System.nanoTime();
          double busyShare = 100.0 * (cpu - last[0]) / (now - last[1]);
          last[0] = cpu;
          last[1] = now;
          assertThat(me.cpuPercent()).isGreaterThan(0).isGreaterThanOrEqualTo(busyShare * 0.5);
          System.out.printf("idle cpu_percent=%.1f, one core loaded: cpu_percent=%.1f, this JVM %.1f%% of one CPU "
              + "(busy thread %.1f%%)%n", idle, m.cpuPercent(), me.cpuPercent(), busyShare);
        });
      } finally {
        stop.set(true);
      }
    }
  }

  @Test
  void samplesOnANamedDaemonThreadAndTellsListeners() {
    SteerableMetricSource source = new SteerableMetricSource();
    try (SystemMonitor monitor = SystemMonitor.builder().source(source).build()) {
      List<Sample> seen = new CopyOnWriteArrayList<>();
      AtomicReference<Thread> thread = new AtomicReference<>();
      monitor.addListener(s -> {
        thread.set(Thread.currentThread());
        seen.add(s);
      });
      monitor.addListener(s -> {
        throw new IllegalStateException("a broken listener");
      });
      monitor.start(Duration.ofMillis(100));
      assertThat(monitor.isRunning()).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 3);
      assertThat(thread.get().getName()).isEqualTo(SystemMonitor.THREAD_NAME);
      assertThat(thread.get().isDaemon()).isTrue();
      assertThat(monitor.interval()).isEqualTo(Duration.ofMillis(100));
      assertThatThrownBy(() -> monitor.start(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already running");
      monitor.stop();
      assertThat(monitor.isRunning()).isFalse();
      int reads = source.reads();
      monitor.stop();
      assertThat(source.reads()).isEqualTo(reads);
      assertThat(seen).allSatisfy(s -> assertThat(s.health().status()).isEqualTo(HealthLevel.HEALTHY));
    }
  }

  @Test
  void listenersSeeHealthChanges() {
    SteerableMetricSource source = new SteerableMetricSource();
    try (SystemMonitor monitor = SystemMonitor.builder().source(source).build()) {
      AtomicInteger critical = new AtomicInteger();
      monitor.addListener(s -> {
        if (s.health().status() == HealthLevel.CRITICAL) {
          critical.incrementAndGet();
        }
      });
      monitor.start(Duration.ofMillis(100));
      source.cpu(99);
      await().atMost(Duration.ofSeconds(10)).until(() -> critical.get() > 0);
    }
  }

  @Test
  void currentMetricsReusesAFreshSampleAndReadsAgainWhenStale() {
    SteerableMetricSource source = new SteerableMetricSource();
    MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    try (SystemMonitor monitor = SystemMonitor.builder().source(source).clock(clock).build()) {
      monitor.currentMetrics();
      monitor.currentMetrics();
      monitor.healthStatus();
      assertThat(source.reads()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(2));
      monitor.currentMetrics();
      assertThat(source.reads()).isEqualTo(2);
    }
  }

  @Test
  void badArgumentsAreNamed() {
    try (SystemMonitor monitor = SystemMonitor.builder().source(new SteerableMetricSource()).build()) {
      assertThatThrownBy(() -> monitor.start(Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("interval");
      assertThatThrownBy(() -> monitor.processMetrics(0)).hasMessageContaining("top");
      assertThatThrownBy(() -> monitor.metricsSummary(0)).hasMessageContaining("last");
      assertThatThrownBy(() -> monitor.metricsSummary(721)).hasMessageContaining("between 1 and 720");
      assertThat(monitor.ringCapacity()).isEqualTo(720);
      assertThatThrownBy(() -> SystemMonitor.builder().history(Duration.ofDays(2))).hasMessageContaining("history");
    }
  }

  @Test
  void processesComeFromTheSourceInTheAskedOrder() {
    SteerableMetricSource source = new SteerableMetricSource().processes(List.of(
        new ProcessInfo(1, "a", 50, 10, 0.1, "running", "u", "a"),
        new ProcessInfo(2, "b", 5, 900, 5.5, "sleeping", "u", "b"),
        new ProcessInfo(3, "c", 20, 100, 0.6, "sleeping", "u", "c")));
    try (SystemMonitor monitor = SystemMonitor.builder().source(source).build()) {
      assertThat(monitor.processMetrics(2)).extracting(ProcessInfo::pid).containsExactly(1, 3);
      assertThat(monitor.processMetrics(2, ProcessOrder.MEMORY)).extracting(ProcessInfo::pid).containsExactly(2, 3);
    }
  }

  @Test
  void closeStopsSamplingAndIsIdempotent() {
    SteerableMetricSource source = new SteerableMetricSource();
    SystemMonitor monitor = SystemMonitor.builder().source(source).clock(Clock.systemUTC()).build();
    monitor.start(Duration.ofMillis(100));
    await().atMost(Duration.ofSeconds(10)).until(() -> source.reads() > 0);
    monitor.close();
    monitor.close();
    assertThat(monitor.isRunning()).isFalse();
    assertThatThrownBy(() -> monitor.start(Duration.ofSeconds(1))).hasMessageContaining("closed");
  }
}
