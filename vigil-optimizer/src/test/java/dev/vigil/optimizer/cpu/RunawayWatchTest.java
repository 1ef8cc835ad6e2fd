package dev.vigil.optimizer.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.core.testing.MutableClock;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.process.ProcessInfo;
import dev.vigil.monitor.process.ProcessOrder;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Proposal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real process spinning on a CPU is flagged with its figures from the monitor's process list; an
 * idle one is not. The threshold is low (5 % of one CPU) because this shared test machine gives the
 * spinner only part of a core; the default is {@link RunawayWatch#DEFAULT_MIN_CPU}.
 */
class RunawayWatchTest {
  @Test
  void aProcessSpinningOnACpuIsFlaggedAndAnIdleOneIsNot() throws Exception {
    Process spinner = new ProcessBuilder("/usr/bin/python3", "-c", "while True: pass").start();
    Process idle = new ProcessBuilder("sleep", "120").start();
    try (SystemMonitor monitor = SystemMonitor.builder().build()) {
      MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
      List<Long> pids = List.of(spinner.pid(), idle.pid());
      await().atMost(Duration.ofSeconds(20)).until(() -> monitor.processMetrics(500, ProcessOrder.CPU).stream()
          .anyMatch(p -> p.pid() == spinner.pid() && p.cpuPercent() >= 5));
      List<String> seen = new ArrayList<>();
      RunawayWatch watch = new RunawayWatch(() -> {
        List<ProcessInfo> ours = monitor.processMetrics(500, ProcessOrder.CPU).stream()
            .filter(p -> pids.contains((long) p.pid())).toList();
        seen.add(ours.stream().map(p -> p.name() + "=" + p.cpuPercent()).toList().toString());
        return ours;
      }, clock, Duration.ofMinutes(10), 5, Duration.ofMinutes(1));
      for (int i = 0; i < 11; i++) {
        watch.sample();
        watch.sample();
        clock.advance(Duration.ofMinutes(1));
      }
      List<Proposal> found = watch.propose();
      assertThat(found).as("readings %s", seen).singleElement().satisfies(p -> {
        assertThat(p.level()).isEqualTo(Level.LOW);
        assertThat(p.key()).isEqualTo("cpu:runaway:" + spinner.pid() + " python3");
        assertThat(p.reason()).contains("% of one CPU").contains("10.0 minutes");
        assertThat((Double) p.details().get("min_cpu_percent")).isGreaterThanOrEqualTo(5);
      });
      assertThat(found).noneMatch(p -> p.target().contains("sleep"));
    } finally {
      spinner.destroyForcibly();
      idle.destroyForcibly();
    }
  }

  @Test
  void anUnusableWindowIsRefused() {
    assertThatThrownBy(() -> new RunawayWatch(List::<ProcessInfo>of,
        new MutableClock(Instant.EPOCH), Duration.ofMinutes(1), 90, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 readings");
  }
}
