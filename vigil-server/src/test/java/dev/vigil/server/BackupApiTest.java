package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/backup/*} over a real server and a real SQLite database: shapes, roles, confirmation, audit. */
class BackupApiTest {
  @TempDir
  Path dir;
  @Test
  void withoutADatabaseEveryRouteSaysSoWith409() throws Exception {
    try (TestServer s = TestServer.start(dir)) {
      String admin = s.adminToken;
      HttpResponse<String> create = post(s, "/api/backup/create", "{}", admin);
      assertThat(create.statusCode()).isEqualTo(409);
      assertThat(create.body()).contains("not_enabled").contains("DATABASE_URL");
      for (String path : new String[] {"/api/backup/list", "/api/backup/stats", "/api/backup/jobs"}) {
        HttpResponse<String> r = s.get(path, admin);
        assertThat(r.statusCode()).as(path).isEqualTo(409);
        assertThat(r.body()).as(path).contains("not_enabled").contains("backups");
      }
      assertThat(delete(s, "/api/backup/delete/backup_20250101_000000.sql.gz", admin).statusCode()).isEqualTo(409);
      assertThat(auditLines(s, "api.post")).hasSize(1).allMatch(l -> l.contains("\"outcome\":\"failure\"")
          && l.contains("not enabled"));
    }
  }

  @Test
  void createListStatsVerifyRestoreDeleteInTheSeedShapes() throws Exception {
    Path db = dir.resolve("app.db");
    exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO t VALUES (1, 'نوفل')");
    try (TestServer s = TestServer.start(dir, Map.of("DATABASE_URL", "sqlite://" + db.toAbsolutePath(),
        "BACKUP_HOUR", "3", "BACKUP_MINUTE", "15"))) {
      String operator = s.token(Role.OPERATOR);
      String viewer = s.token(Role.VIEWER);
      String admin = s.adminToken;

      HttpResponse<String> created = post(s, "/api/backup/create", "", operator);
      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
      JsonNode c = Json.MAPPER.readTree(created.body());
      assertThat(c.path("success").asBoolean()).isTrue();
      String file = c.path("backup").path("filename").asText();
      assertThat(file).matches("backup_\\d{8}_\\d{6}\\.sqlite\\.gz");
      assertThat(c.path("backup").has("size_mb")).isTrue();
      assertThat(c.path("backup").path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
      assertThat(Files.exists(s.dir.resolve("data/backups").resolve(file))).isTrue();
      String manual = Json.MAPPER.readTree(post(s, "/api/backup/create", "{\"prefix\":\"manual\"}", operator).body())
          .path("backup").path("filename").asText();
      assertThat(manual).startsWith("manual_");

      JsonNode list = Json.MAPPER.readTree(s.get("/api/backup/list?limit=1", viewer).body());
      assertThat(list.path("backups")).hasSize(1);
      assertThat(list.path("total").asInt()).isEqualTo(2);
      assertThat(list.path("next_cursor").isNull()).isFalse();
      JsonNode first = list.path("backups").get(0);
      assertThat(first.path("filename").asText()).isIn(file, manual);
      assertThat(first.path("compressed").asBoolean()).isTrue();
      assertThat(first.has("size_mb") && first.has("timestamp")).isTrue();

      JsonNode stats = Json.MAPPER.readTree(s.get("/api/backup/stats", viewer).body());
      assertThat(stats.path("total_backups").asInt()).isEqualTo(2);
      assertThat(stats.has("total_size_mb") && stats.has("oldest_backup") && stats.has("newest_backup")).isTrue();

      JsonNode manifest = Json.MAPPER.readTree(s.get("/api/backup/" + file, viewer).body());
      assertThat(manifest.path("sha256").asText()).hasSize(64);
      assertThat(manifest.path("tables").path("t").asLong()).isEqualTo(1);

      JsonNode jobs = Json.MAPPER.readTree(s.get("/api/backup/jobs", viewer).body());
      assertThat(jobs.path("scheduler_enabled").asBoolean()).isTrue();
      assertThat(jobs.path("jobs").toString()).contains("daily at 03:15").contains("next_run_time")
          .contains("\"kind\":\"verify\"");

      HttpResponse<String> verified = post(s, "/api/backup/verify/" + file, "", operator);
      assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(verified.body()).path("success").asBoolean()).isTrue();

      exec(db, "DELETE FROM t", "INSERT INTO t VALUES (2, 'later')");
      assertThat(post(s, "/api/backup/restore/" + file, "{}", admin).statusCode()).isEqualTo(400);
      assertThat(post(s, "/api/backup/restore/" + file, "{\"confirm\":\"" + manual + "\"}", admin).body())
          .contains("confirmation_required");
      assertThat(post(s, "/api/backup/restore/" + file, "{\"confirm\":\"" + file + "\"}", operator).statusCode())
          .isEqualTo(403);
      HttpResponse<String> restored = post(s, "/api/backup/restore/" + file, "{\"confirm\":\"" + file + "\"}", admin);
      assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(restored.body()).path("restore").path("safety_backup").asText())
          .startsWith("safety_");
      assertThat(query(db, "SELECT group_concat(id || name) FROM t")).isEqualTo("1نوفل");

      assertThat(delete(s, "/api/backup/delete/" + manual, operator).statusCode()).isEqualTo(403);
      HttpResponse<String> deleted = delete(s, "/api/backup/delete/" + manual, admin);
      assertThat(deleted.body()).isEqualTo("{\"success\":true}");
      assertThat(delete(s, "/api/backup/delete/" + manual, admin).statusCode()).isEqualTo(404);

      assertThat(auditLines(s, "backup.create")).hasSize(2).allMatch(l -> l.contains("\"outcome\":\"success\""));
      assertThat(auditLines(s, "backup.verify")).hasSize(1);
      assertThat(auditLines(s, "backup.restore")).hasSize(3);
      assertThat(auditLines(s, "backup.restore").stream().filter(l -> l.contains("\"outcome\":\"success\""))).hasSize(1);
      assertThat(auditLines(s, "backup.delete")).hasSize(2);
    }
  }

  @Test
  void hostileFileNamesAreRejectedWith400AndTouchNothing() throws Exception {
    Path db = dir.resolve("app.db");
    exec(db, "CREATE TABLE t (id INTEGER)");
    Files.writeString(dir.resolve("secret.txt"), "x");
    try (TestServer s = TestServer.start(dir, Map.of("DATABASE_URL", "sqlite://" + db.toAbsolutePath()))) {
      for (String bad : new String[] {"..%2F..%2Fsecret.txt", "%2Fetc%2Fpasswd", "..%252Fsecret.txt",
          "backup_20250101_000000.sql.gz%00.txt", "backup_20251301_000000.sql.gz", "x%0Abackup.delete%20forged"}) {
        HttpResponse<String> r = delete(s, "/api/backup/delete/" + bad, s.adminToken);
        assertThat(r.statusCode()).as(bad + " " + r.body()).isIn(400, 404);
        assertThat(s.get("/api/backup/" + bad, s.adminToken).statusCode()).as(bad).isIn(400, 404);
        assertThat(post(s, "/api/backup/verify/" + bad, "", s.adminToken).statusCode()).as(bad).isIn(400, 404);
      }
      assertThat(delete(s, "/api/backup/delete/..%2F..%2Fsecret.txt", s.adminToken).body()).contains("invalid_filename");
      assertThat(Files.exists(dir.resolve("secret.txt"))).isTrue();
      assertThat(auditLines(s, "backup.delete")).hasSize(6).allMatch(l -> l.contains("\"outcome\":\"failure\""))
          .noneMatch(l -> l.contains("\\n"));
      assertThat(post(s, "/api/backup/create", "{\"database\":\"nope\"}", s.adminToken).statusCode()).isEqualTo(400);
      assertThat(post(s, "/api/backup/create", "{\"prefix\":\"../x\"}", s.adminToken).statusCode()).isEqualTo(400);
    }
  }

  /** The audit records of {@code action} in the server's trail, each as its JSON text. */
  private static java.util.List<String> auditLines(TestServer s, String action) throws Exception {
    return s.audited(action).stream().map(JsonNode::toString).toList();
  }

  private static HttpResponse<String> post(TestServer s, String path, String body, String token) throws Exception {
    return s.send(HttpRequest.newBuilder(s.uri(path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build());
  }

  private static HttpResponse<String> delete(TestServer s, String path, String token) throws Exception {
    return s.send(HttpRequest.newBuilder(s.uri(path)).header("Authorization", "Bearer " + token).DELETE().build());
  }

  static void exec(Path db, String... sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      for (String q : sql) {
        st.execute(q);
      }
    }
  }

  static String query(Path db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
