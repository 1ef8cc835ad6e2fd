package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimizer's database tunings in a real server over the SQLite database the backups and insight
 * use: insight provides the database, the optimizer proposes ANALYZE (never analyzed, large table) and
 * the drop of a duplicate index, applies ANALYZE at medium, refuses to undo it, and a dry run at
 * aggressive changes nothing.
 */
class OptimizerDatabaseApiTest {
  @TempDir
  static Path dir;
  static TestServer s;
  static Path db;

  @BeforeAll
  static void start() throws Exception {
    db = dir.resolve("shop.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, total INTEGER)");
      st.execute("WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 20000) "
          + "INSERT INTO orders SELECT n, n % 500, n % 97 FROM g");
      st.execute("CREATE INDEX orders_total ON orders (total)");
      st.execute("CREATE INDEX orders_total_copy ON orders (total)");
    }
    s = TestServer.start(dir.resolve("server"), Map.of("DATABASE_URL", "sqlite://" + db.toAbsolutePath()));
  }

  @AfterAll
  static void stop() throws Exception {
    s.close();
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return s.send(HttpRequest.newBuilder(s.uri(path)).header("Authorization", "Bearer " + s.adminToken)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static List<String> indexes() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static boolean analyzed() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")) {
      rs.next();
      return rs.getInt(1) > 0;
    }
  }

  private static JsonNode item(JsonNode run, String kind) {
    for (JsonNode i : run.path("items")) {
      if (i.path("proposal").path("kind").asText().equals(kind)) {
        return i;
      }
    }
    throw new AssertionError("no " + kind + " in " + run);
  }

  @Test
  void databaseTuningsProposeApplyAndRefuseToUndoAnalyze() throws Exception {
    JsonNode status = Json.MAPPER.readTree(s.get("/api/optimizer/status", s.token(Role.VIEWER)).body());
    assertThat(status.path("tunings").toString()).contains("db.index.").contains("db.analyze.")
        .contains("db.vacuum.").contains("db.drop_index.");

    List<String> before = indexes();
    JsonNode dry = Json.MAPPER.readTree(post("/api/optimizer/run", "{\"level\":\"aggressive\",\"dry_run\":true}")
        .body());
    assertThat(item(dry, "drop_duplicate_index").path("outcome").asText()).isEqualTo("DRY_RUN");
    assertThat(item(dry, "analyze").path("outcome").asText()).isEqualTo("DRY_RUN");
    assertThat(indexes()).isEqualTo(before);
    assertThat(analyzed()).isFalse();

    JsonNode medium = Json.MAPPER.readTree(post("/api/optimizer/run", "{\"level\":\"medium\"}").body());
    JsonNode analyze = item(medium, "analyze");
    assertThat(analyze.path("outcome").asText()).isEqualTo("APPLIED");
    assertThat(analyze.path("proposal").path("details").path("reversible").asBoolean(true)).isFalse();
    assertThat(item(medium, "drop_duplicate_index").path("outcome").asText()).isEqualTo("NEEDS_LEVEL");
    assertThat(analyzed()).isTrue();
    assertThat(indexes()).isEqualTo(before);

    HttpResponse<String> undo = post("/api/optimizer/actions/" + analyze.path("action_id").asText() + "/rollback", "");
    assertThat(undo.statusCode()).as(undo.body()).isEqualTo(409);
    assertThat(undo.body()).contains("irreversible").contains("cannot be undone");
  }
}
