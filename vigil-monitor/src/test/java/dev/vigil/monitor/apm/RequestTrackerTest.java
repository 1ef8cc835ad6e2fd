package dev.vigil.monitor.apm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.monitor.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestTrackerTest {
  private final MutableClock clock = MutableClock.at("2026-04-01T08:00:00Z");
  private final RequestTracker tracker = new RequestTracker(ApmOptions.defaults().withClock(clock));

  @Test
  void countsErrorsAndPercentilesPerRoute() {
    for (int i = 1; i <= 200; i++) {
      tracker.record("GET", "/api/monitoring/health", i % 50 == 0 ? 503 : 200, Duration.ofMillis(i % 100 + 1));
    }
    tracker.record("post", "/api/backup/create", 201, Duration.ofMillis(900));
    tracker.record("GET", "/api/backup/list", 404, Duration.ofMillis(3));
    LatencyStats health = tracker.route("GET", "/api/monitoring/health").orElseThrow();
    assertThat(health.name()).isEqualTo("GET /api/monitoring/health");
    assertThat(health.count()).isEqualTo(200);
    assertThat(health.errors()).isEqualTo(4);
    assertThat(health.errorRate()).isEqualTo(0.02);
    assertThat(health.p50Ms()).isCloseTo(50, within(2.0));
    assertThat(health.p99Ms()).isCloseTo(99, within(2.0));
    assertThat(tracker.route("POST", "/api/backup/create").orElseThrow().slow()).isEqualTo(1);
    assertThat(tracker.route("GET", "/api/backup/list").orElseThrow().errors()).isZero();
    LatencyStats total = tracker.total();
    assertThat(total.count()).isEqualTo(202);
    assertThat(total.errors()).isEqualTo(4);
    assertThat(tracker.routes()).hasSize(3);
  }

  @Test
  void badInputIsRefused() {
    assertThatThrownBy(() -> tracker.record("GET", "", 200, Duration.ZERO)).hasMessageContaining("route");
    assertThatThrownBy(() -> tracker.record("", "/x", 200, Duration.ZERO)).hasMessageContaining("method");
    assertThatThrownBy(() -> tracker.record("GET", "/x", 700, Duration.ZERO)).hasMessageContaining("700");
    assertThatThrownBy(() -> tracker.record("GET", "/x", 200, Duration.ofMillis(-5))).hasMessageContaining("negative");
  }
}
