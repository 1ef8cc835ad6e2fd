package dev.vigil.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.TestServer;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/backup/create} without a body backs up {@code default} (DATABASE_URL), not the first named one. */
class BackupDefaultDatabaseTest {
  @TempDir
  Path dir;

  @Test
  void anEmptyBodyBacksUpTheDatabaseOfDatabaseUrl() throws Exception {
    Path named = dir.resolve("aaa.db");
    Path main = dir.resolve("main.db");
    for (Path db : new Path[] {named, main}) {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE t (id INTEGER)");
      }
    }
    Path yml = Files.writeString(dir.resolve("vigil.yml"), "backup:\n  databases:\n    aaa: sqlite://" + named
        + "\n");
    try (TestServer s = TestServer.start(dir, Map.of("VIGIL_CONFIG", yml.toString(),
        "DATABASE_URL", "sqlite://" + main, "ENABLE_BACKUP_SCHEDULER", "false"))) {
      String operator = s.token(Role.OPERATOR);
      for (String body : new String[] {"", "{}"}) {
        HttpResponse<String> r = s.send(HttpRequest.newBuilder(s.uri("/api/backup/create"))
            .header("Authorization", "Bearer " + operator).POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String file = Json.MAPPER.readTree(r.body()).path("backup").path("filename").asText();
        assertThat(Files.exists(s.dir.resolve("data/backups").resolve(file))).as(file).isTrue();
      }
      assertThat(s.audited("backup.create")).hasSize(2)
          .allSatisfy(e -> assertThat(e.path("resource").asText()).startsWith("backup:default/"));
      JsonNode named2 = Json.MAPPER.readTree(s.get("/api/backup/list?database=aaa", operator).body());
      assertThat(named2.path("total").asInt()).as(named2.toString()).isZero();
    }
  }
}
