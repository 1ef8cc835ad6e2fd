package dev.vigil.backup.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.backup.BackupCatalog;
import dev.vigil.backup.BackupException;
import dev.vigil.backup.BackupRecord;
import dev.vigil.backup.DatabaseBackup;
import dev.vigil.core.store.StateStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup meters over a real SQLite database and state store: nothing before the first backup,
 * then the last success, its size and duration, a passed and then a failed verification, and a failed
 * backup counted, all under Prometheus names.
 */
class BackupMetricsTest {
  @TempDir
  Path tmp;

  @Test
  void metersFollowBackupsVerificationsAndFailures() throws Exception {
    Path db = tmp.resolve("shop.db").toAbsolutePath();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)");
      st.execute("INSERT INTO orders (total) VALUES (1), (2), (3), (4), (5)");
    }
    StepClock clock = new StepClock(Instant.parse("2026-03-01T10:00:00Z"));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (StateStore store = StateStore.open(null, tmp.resolve("store"));
        BackupCatalog catalog = new BackupCatalog(tmp.resolve("backups"), List.of(
            DatabaseBackup.builder("sqlite://" + db, tmp.resolve("backups")).name("shop").stateStore(store).clock(clock)
                .build()))) {
      new BackupMetrics(catalog, Map.of(), clock).bindTo(registry);
      String before = registry.scrape();
      assertThat(before).contains("vigil_backup_last_success_timestamp_seconds{database=\"shop\"} NaN",
          "vigil_backup_last_verify_success{database=\"shop\"} NaN", "vigil_backup_failures_total{database=\"shop\"} 0.0",
          "vigil_backup_missed_runs_total{database=\"shop\"} 0.0");

      clock.advance(Duration.ofMinutes(1));
      BackupRecord backup = catalog.database("shop").createBackup();
      clock.advance(Duration.ofSeconds(2));
      String after = registry.scrape();
      assertThat(value(after, "vigil_backup_last_success_timestamp_seconds{database=\"shop\"}"))
          .isEqualTo(Instant.parse("2026-03-01T10:01:00Z").getEpochSecond());
      assertThat(value(after, "vigil_backup_size_bytes{database=\"shop\"}")).isEqualTo(backup.sizeBytes());
      assertThat(value(after, "vigil_backup_duration_seconds{database=\"shop\"}")).isGreaterThanOrEqualTo(0);
      assertThat(value(after, "vigil_backup_last_verify_success{database=\"shop\"}")).isEqualTo(1.0);
      assertThat(value(after, "vigil_backup_last_verify_timestamp_seconds{database=\"shop\"}"))
          .isEqualTo(Instant.parse("2026-03-01T10:01:00Z").getEpochSecond());

      // a damaged backup fails its next verification
      try (RandomAccessFile f = new RandomAccessFile(tmp.resolve("backups").resolve(backup.filename()).toFile(), "rw")) {
        f.seek(f.length() / 2);
        f.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
      }
      clock.advance(Duration.ofMinutes(1));
      assertThat(catalog.database("shop").verifyBackup(backup.filename()).ok()).isFalse();
      clock.advance(Duration.ofSeconds(2));
      String damaged = registry.scrape();
      assertThat(value(damaged, "vigil_backup_last_verify_success{database=\"shop\"}")).isEqualTo(0.0);
      assertThat(value(damaged, "vigil_backup_last_verify_timestamp_seconds{database=\"shop\"}"))
          .isEqualTo(Instant.parse("2026-03-01T10:02:02Z").getEpochSecond());

      // a backup of a database that is gone fails and is counted; the last success stays
      Files.delete(db);
      clock.advance(Duration.ofMinutes(1));
      assertThatThrownBy(() -> catalog.database("shop").createBackup()).isInstanceOf(BackupException.class);
      clock.advance(Duration.ofSeconds(2));
      String failed = registry.scrape();
      assertThat(value(failed, "vigil_backup_failures_total{database=\"shop\"}")).isEqualTo(1.0);
      assertThat(value(failed, "vigil_backup_last_success_timestamp_seconds{database=\"shop\"}"))
          .isEqualTo(Instant.parse("2026-03-01T10:01:00Z").getEpochSecond());
    }
  }

  private static double value(String scrape, String series) {
    return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
        .orElseThrow(() -> new AssertionError(series + " not in " + scrape));
  }

  /** A clock tests move by hand. */
  private static final class StepClock extends Clock {
    private volatile Instant now;

    StepClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
