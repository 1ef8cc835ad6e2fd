package dev.vigil.server.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.backup.schedule.FailedRun;
import dev.vigil.core.store.StateStore;
import dev.vigil.server.TestServer;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduled backup of a real PostgreSQL database that fails (the database does not exist yet) is
 * retried through the durable job queue and succeeds exactly once when the database is there: the
 * retry is listed by {@code GET /api/jobs}, audited, never run again after a restart, and a retry that
 * cannot succeed (the database is no longer configured) is dead-lettered at once with a clear error.
 */
class BackupRetryTest {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private static final String PASSWORD = "pg-s3cret-never-shown";
  @TempDir Path dir;
  private final String db = "vigil_alert_retry_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

  @AfterEach
  void drop() throws Exception {
    sql("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
  }

  @Test
  void aFailedScheduledBackupSucceedsOnAQueuedRetryExactlyOnce() throws Exception {
    // the server starts just after tomorrow's 02:00 daily backup (local time, as scheduled), and the day
    // before's run is on record: the scheduler catches the 02:00 slot up at once (a missed run)
    LocalDate day = LocalDate.now(ZoneId.systemDefault()).plusDays(1);
    Instant fireAt = day.atTime(2, 0).atZone(ZoneId.systemDefault()).toInstant();
    Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), fireAt.plusSeconds(5)));
    String job = "backup-daily-0200";
    try (StateStore store = StateStore.open(null, dir.resolve("data"))) {
      store.migrate("backup");
      store.jdbi().useHandle(h -> h.createUpdate("INSERT INTO vigil_backup_job(name, last_fire_at, last_started_at, "
              + "last_finished_at, last_status, last_message, last_owner) VALUES (:name, :fire, :fire, :fire, "
              + "'SUCCEEDED', 'backup_yesterday.dump.gz', 'earlier')")
          .bind("name", "default/" + job).bind("fire", fireAt.minus(Duration.ofDays(1)).toEpochMilli()).execute());
    }
    Map<String, String> env = Map.of(
        // trust authentication ignores the password: it is here to prove it is shown nowhere
        "DATABASE_URL", "postgresql://postgres:" + PASSWORD + "@127.0.0.1:5432/" + db,
        "BACKUP_HOUR", "2", "BACKUP_MINUTE", "0", "VIGIL_BACKUP_VERIFY_ENABLED", "false",
        "VIGIL_BACKUP_RETRY_BACKOFF", "1s", "VIGIL_BACKUP_RETRY_BACKOFF_MAX", "2s",
        "VIGIL_BACKUP_RETRY_MAX_ATTEMPTS", "60");
    try (TestServer s = TestServer.start(dir, env, clock)) {
      String viewer = s.token(Role.VIEWER);
      // the scheduled run fails: the database does not exist yet
      await().atMost(Duration.ofSeconds(30)).until(() -> retryJobs(s, viewer).size() == 1);
      JsonNode queued = retryJobs(s, viewer).get(0);
      assertThat(queued.path("kind").asText()).isEqualTo(BackupRetries.KIND);
      assertThat(queued.path("priority").asInt()).isEqualTo(BackupRetries.PRIORITY);
      assertThat(queued.path("max_attempts").asInt()).isEqualTo(60);
      assertThat(queued.path("idempotency_key").asText()).isEqualTo("backup-retry:default/" + job + "@"
          + fireAt.toEpochMilli());
      assertThat(s.get("/api/backup/jobs", viewer).body()).containsAnyOf("FAILED", "RETRYING")
          .contains("does not exist");

      // the database appears; a queued retry backs it up
      sql("CREATE DATABASE " + db);
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db, "postgres", "");
          Statement st = c.createStatement()) {
        st.execute("CREATE TABLE orders (id int primary key, item text)");
        st.execute("INSERT INTO orders VALUES (1, 'قهوة'), (2, 'tea')");
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> "DONE".equals(retryJobs(s, viewer).get(0).path("status")
          .asText()));
      JsonNode done = retryJobs(s, viewer).get(0);
      assertThat(done.path("attempts").asInt()).isGreaterThanOrEqualTo(1);
      JsonNode list = Json.MAPPER.readTree(s.get("/api/backup/list", viewer).body());
      assertThat(list.path("total").asInt()).as(list.toString()).isEqualTo(1);
      String file = list.path("backups").get(0).path("filename").asText();
      JsonNode jobs = Json.MAPPER.readTree(s.get("/api/backup/jobs", viewer).body());
      assertThat(jobs.toString()).contains("SUCCEEDED").contains(file);

      List<JsonNode> audited = s.audited("backup.retry");
      assertThat(audited.stream().filter(e -> e.toString().contains("success"))).singleElement()
          .satisfies(e -> assertThat(e.toString()).contains("BACKED_UP").contains(file).contains("job:backup-retry"));
      assertThat(s.audited("backup.retry.queued")).hasSize(1);

      // the same slot again (a second failure report, a restart): never a second job
      BackupRetries retries = s.server.context().find(BackupRetries.class).orElseThrow();
      assertThat(retries.enqueue(new FailedRun("default", job, fireAt, "again"))).isFalse();

      // retrying cannot help: dead-lettered at once, with the reason
      assertThat(retries.enqueue(new FailedRun("gone", job, fireAt, "x"))).isTrue();
      assertThat(retries.enqueue(new FailedRun("default", "backup-cron-nope", fireAt, "x"))).isTrue();
      await().atMost(Duration.ofSeconds(20)).until(() -> retryJobs(s, viewer).stream()
          .filter(j -> "DEAD".equals(j.path("status").asText())).count() == 2);
      for (JsonNode dead : retryJobs(s, viewer)) {
        if (dead.path("status").asText().equals("DEAD")) {
          assertThat(dead.path("attempts").asInt()).isEqualTo(1);
          assertThat(dead.path("last_error").asText()).containsAnyOf(
              "database gone is no longer configured for scheduled backups",
              "database default has no scheduled backup job named backup-cron-nope");
        }
      }
      for (String path : List.of("/api/jobs", "/api/backup/jobs", "/api/backup/list", "/api/alerts",
          "/api/alerts/notifications")) {
        assertThat(s.get(path, viewer).body()).as(path).doesNotContain(PASSWORD);
      }
      assertThat(s.get("/api/audit?limit=1000", s.adminToken).body()).doesNotContain(PASSWORD);
    }

    // a restart after the retry: the slot is not run again and no job is added
    try (TestServer s = TestServer.start(dir, env, clock)) {
      String viewer = s.token(Role.VIEWER);
      assertThat(retryJobs(s, viewer)).hasSize(3);
      assertThat(Json.MAPPER.readTree(s.get("/api/backup/list", viewer).body()).path("total").asInt()).isEqualTo(1);
      assertThat(Json.MAPPER.readTree(s.get("/api/backup/jobs", viewer).body()).toString()).contains("SUCCEEDED");
    }
    try (Stream<Path> logs = Files.walk(dir.resolve("logs"))) {
      for (Path log : logs.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(log)).as(log.toString()).doesNotContain(PASSWORD);
      }
    }
  }

  private static List<JsonNode> retryJobs(TestServer s, String token) throws Exception {
    JsonNode body = Json.MAPPER.readTree(s.get("/api/jobs?queue=" + BackupRetries.QUEUE, token).body());
    List<JsonNode> out = new ArrayList<>();
    body.path("jobs").forEach(out::add);
    return out.stream().sorted((a, b) -> Long.compare(a.path("id").asLong(), b.path("id").asLong())).toList();
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }
}
