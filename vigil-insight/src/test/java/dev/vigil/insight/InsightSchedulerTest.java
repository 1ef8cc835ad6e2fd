package dev.vigil.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.core.store.StateStore;
import dev.vigil.insight.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot scheduler: named thread, meters per database, a failing database does not stop the others. */
class InsightSchedulerTest {
  @TempDir
  Path dir;

  @Test
  void snapshotsEveryDatabaseAndMetersFailuresWithoutStoppingOthers() throws Exception {
    Path file = dir.resolve("app.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    }
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (StateStore store = StateStore.open(null, dir.resolve("state"))) {
      DatabaseInsight app = DatabaseInsight.open("app", DatabaseUrl.parse("sqlite://" + file), store,
          InsightSettings.DEFAULTS, clock);
      DatabaseInsight down = DatabaseInsight.open("down", DatabaseUrl.parse("postgresql://u:hidden@127.0.0.1:1/x"),
          store, InsightSettings.DEFAULTS, clock);
      try (InsightScheduler scheduler = new InsightScheduler(List.of(down, app), Duration.ofSeconds(1), meters)) {
        scheduler.start();
        assertThatThrownBy(scheduler::start).isInstanceOf(IllegalStateException.class);
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> app.lastSnapshot().isPresent());
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals(InsightScheduler.THREAD_NAME));
        assertThat(meters.get("vigil.insight.up").tag("database", "app").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("vigil.insight.up").tag("database", "down").gauge().value()).isEqualTo(0.0);
        assertThat(meters.get("vigil.insight.collection.failures").tag("database", "down").counter().count())
            .isPositive();
        assertThat(scheduler.lastError("down")).contains("database 'down'").doesNotContain("hidden");
        assertThat(meters.get("vigil.insight.collection.overhead").tag("database", "app").gauge().value())
            .isPositive();
      }
      assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals(InsightScheduler.THREAD_NAME)
          && t.isAlive());
    }
    assertThatThrownBy(() -> new InsightScheduler(List.of(), Duration.ofMillis(10), meters))
        .hasMessageContaining("at least 1 s");
  }
}
