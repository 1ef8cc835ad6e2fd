package dev.vigil.backup.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.backup.DatabaseBackup;
import dev.vigil.core.store.FleetLock;
import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BackupSchedulerTest {
  private static final ZoneId ZONE = ZoneId.of("Asia/Riyadh");
  @TempDir
  Path tmp;
  private String dbUrl;

  @BeforeEach
  void sqliteDatabase() throws Exception {
    Path db = tmp.resolve("app.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
      s.execute("INSERT INTO t(v) VALUES ('a'), ('b')");
    }
    dbUrl = "sqlite:///" + db.toString().substring(1);
  }

  @Test
  void jobsShowNameNextRunTimeAndTriggerInTheSeedsShape() throws Exception {
    Clock clock = Clock.fixed(ZonedDateTime.of(2025, 11, 6, 15, 30, 0, 0, ZONE).toInstant(), ZONE);
    try (DatabaseBackup b = DatabaseBackup.builder(dbUrl, tmp.resolve("b")).clock(clock).build();
        BackupScheduler s = BackupScheduler.builder(b).build()) {
      String daily = s.scheduleDaily(2, 0);
      String every = s.scheduleEvery(6);
      String cron = s.scheduleCron("0 */4 * * *");
      s.scheduleVerify(Trigger.daily(4, 0));
      assertThatThrownBy(() -> s.scheduleDaily(2, 0)).hasMessageContaining("already scheduled");
      s.start();
      List<JobInfo> jobs = s.jobs();
      assertThat(jobs).extracting(JobInfo::name).containsExactly(daily, every, cron, "verify-daily-at-04:00");
      assertThat(jobs.get(0).nextRunTime()).isEqualTo(LocalDateTime.of(2025, 11, 7, 2, 0));
      assertThat(jobs.get(1).nextRunTime()).isEqualTo(LocalDateTime.of(2025, 11, 6, 21, 30));
      assertThat(jobs.get(2).nextRunTime()).isEqualTo(LocalDateTime.of(2025, 11, 6, 16, 0));
      assertThat(jobs.get(0).trigger()).isEqualTo("daily at 02:00");
      assertThat(s.missedRuns()).isEmpty();
      JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(jobs.get(0)));
      assertThat(json.get("name").asText()).isEqualTo("backup-daily-0200");
      assertThat(json.get("next_run_time").asText()).isEqualTo("2025-11-07T02:00:00");
      assertThat(json.get("trigger").asText()).isEqualTo("daily at 02:00");
      assertThat(json.has("last_status")).isTrue();
    }
  }

  @Test
  void firesOnTimeAndRecordsTheLastResult() {
    try (DatabaseBackup b = DatabaseBackup.builder(dbUrl, tmp.resolve("b")).build();
        BackupScheduler s = new BackupScheduler(b)) {
      String job = s.scheduleEvery(Duration.ofSeconds(1));
      s.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> b.listBackups().size() >= 2);
      await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCEEDED".equals(s.jobs().get(0).lastStatus()));
      JobInfo info = s.jobs().get(0);
      assertThat(info.name()).isEqualTo(job);
      assertThat(info.lastMessage()).startsWith("backup_");
      assertThat(info.nextRunTime()).isAfter(info.lastRunTime());
    }
  }

  @Test
  void verifyJobChecksTheNewestBackup() {
    try (DatabaseBackup b = DatabaseBackup.builder(dbUrl, tmp.resolve("b")).verifyAfterBackup(false).build();
        BackupScheduler s = new BackupScheduler(b)) {
      String verify = s.scheduleVerify(Trigger.cron("0 4 * * *"));
      assertThat(s.runNow(verify).lastMessage()).isEqualTo("no backup to verify");
      String newest = b.createBackup().filename();
      assertThat(b.manifest(newest).verification()).isNull();
      JobInfo info = s.runNow(verify);
      assertThat(info.lastStatus()).isEqualTo("SUCCEEDED");
      assertThat(info.lastMessage()).isEqualTo(newest + ": ok");
      assertThat(info.kind()).isEqualTo("verify");
      assertThat(b.manifest(newest).verification().ok()).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void missedRunsAreReportedAfterARestartAndCaughtUpOnce(StateStore.Kind kind) throws Exception {
    ZonedDateTime monday = ZonedDateTime.of(2025, 11, 3, 2, 0, 0, 0, ZONE);
    try (TestStores.Handle store = TestStores.open(kind, tmp.resolve("store"))) {
      try (DatabaseBackup b = DatabaseBackup.builder(dbUrl, tmp.resolve("b")).stateStore(store.store())
          .clock(Clock.fixed(monday.toInstant(), ZONE)).build();
          BackupScheduler s = new BackupScheduler(b)) {
        s.scheduleDaily(2, 0);
        assertThat(s.runNow("backup-daily-0200").lastStatus()).isEqualTo("SUCCEEDED");
      }
      ZonedDateTime thursdayNoon = monday.plusDays(3).plusHours(10);
      try (DatabaseBackup b = DatabaseBackup.builder(dbUrl, tmp.resolve("b")).stateStore(store.store())
          .clock(Clock.fixed(thursdayNoon.toInstant(), ZONE)).build();
          BackupScheduler s = new BackupScheduler(b)) {
        s.scheduleDaily(2, 0);
        s.start();
        assertThat(s.missedRuns()).singleElement().satisfies(m -> {
          assertThat(m.count()).isEqualTo(3);
          assertThat(m.firstMissed()).isEqualTo(LocalDateTime.of(2025, 11, 4, 2, 0));
          assertThat(m.lastMissed()).isEqualTo(LocalDateTime.of(2025, 11, 6, 2, 0));
        });
        await().atMost(Duration.ofSeconds(20))
            .until(() -> LocalDateTime.of(2025, 11, 6, 2, 0).equals(s.jobs().get(0).lastRunTime())
                && "SUCCEEDED".equals(s.jobs().get(0).lastStatus()));
        assertThat(s.jobs().get(0).missedRuns()).isEqualTo(3);
        assertThat(b.listBackups()).hasSize(2);
      }
    }
  }

  @Test
  void oneRunPerFleetWhenInstancesShareAStore() throws Exception {
    ZonedDateTime at = ZonedDateTime.of(2025, 11, 6, 2, 0, 0, 0, ZONE);
    Clock clock = Clock.fixed(at.toInstant(), ZONE);
    try (TestStores.Handle store = TestStores.open(StateStore.Kind.POSTGRESQL, tmp.resolve("store"));
        DatabaseBackup a = DatabaseBackup.builder(dbUrl, tmp.resolve("host-a")).stateStore(store.store()).clock(clock)
            .build();
        DatabaseBackup b = DatabaseBackup.builder(dbUrl, tmp.resolve("host-b")).stateStore(store.store()).clock(clock)
            .build();
        BackupScheduler sa = BackupScheduler.builder(a).fleetLock(new FleetLock(store.store(), clock, "host-a")).build();
        BackupScheduler sb = BackupScheduler.builder(b).fleetLock(new FleetLock(store.store(), clock, "host-b")).build()) {
      sa.scheduleDaily(2, 0);
      sb.scheduleDaily(2, 0);
      CountDownLatch go = new CountDownLatch(1);
      CompletableFuture<JobInfo> ra = CompletableFuture.supplyAsync(() -> whenReleased(go, () -> sa.runNow("backup-daily-0200")));
      CompletableFuture<JobInfo> rb = CompletableFuture.supplyAsync(() -> whenReleased(go, () -> sb.runNow("backup-daily-0200")));
      go.countDown();
      ra.get();
      rb.get();
      assertThat(a.listBackups().size() + b.listBackups().size()).isEqualTo(1);
      assertThat(sa.jobs().get(0).lastStatus()).isEqualTo("SUCCEEDED");
      assertThat(sb.jobs().get(0).lastStatus()).isEqualTo("SUCCEEDED");
    }
  }

  private static <T> T whenReleased(CountDownLatch latch, java.util.function.Supplier<T> work) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return work.get();
  }
}
