package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/db/*}, {@code vigil db …} and the insight meters over a real SQLite database the backups use. */
class InsightApiTest {
  @TempDir
  static Path dir;
  static TestServer s;
  static String url;

  @BeforeAll
  static void start() throws Exception {
    Path db = dir.resolve("shop.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, total INTEGER)");
      st.execute("INSERT INTO orders VALUES (1, 1, 10), (2, 2, 20)");
      st.execute("CREATE INDEX orders_total ON orders (total)");
      st.execute("CREATE INDEX orders_total_copy ON orders (total)");
    }
    s = TestServer.start(dir.resolve("server"), Map.of("DATABASE_URL", "sqlite://" + db.toAbsolutePath(),
        "VIGIL_INSIGHT_INTERVAL", "1s"));
    url = "http://127.0.0.1:" + s.server.port();
  }

  @AfterAll
  static void stop() throws Exception {
    s.close();
  }

  @Test
  void restRoutesForViewersWithClearErrors() throws Exception {
    String viewer = s.token(Role.VIEWER);
    assertThat(s.get("/api/db", null).statusCode()).isEqualTo(401);
    HttpResponse<String> list = s.get("/api/db", viewer);
    assertThat(list.statusCode()).isEqualTo(200);
    JsonNode dbs = Json.MAPPER.readTree(list.body()).path("databases");
    assertThat(dbs).hasSize(1);
    String name = dbs.get(0).path("name").asText();
    assertThat(dbs.get(0).path("engine").asText()).isEqualTo("sqlite");

    JsonNode indexes = Json.MAPPER.readTree(s.get("/api/db/" + name + "/indexes", viewer).body());
    assertThat(indexes.path("indexes").findValuesAsText("duplicate_of")).contains("orders_total");
    JsonNode advice = Json.MAPPER.readTree(s.get("/api/db/" + name + "/advice", viewer).body());
    assertThat(advice.path("advice").findValuesAsText("statement"))
        .contains("DROP INDEX IF EXISTS \"orders_total_copy\"");
    assertThat(advice.path("advice").get(0).has("shape_ids")).isTrue();
    assertThat(s.get("/api/db/" + name + "/tables", viewer).statusCode()).isEqualTo(200);
    assertThat(s.get("/api/db/" + name + "/activity", viewer).statusCode()).isEqualTo(200);
    HttpResponse<String> queries = s.get("/api/db/" + name + "/queries?window=24h&sort=calls", viewer);
    assertThat(queries.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(queries.body()).path("notes").toString()).contains("SQLite keeps no statement");

    HttpResponse<String> badWindow = s.get("/api/db/" + name + "/queries?window=forever", viewer);
    assertThat(badWindow.statusCode()).isEqualTo(400);
    assertThat(badWindow.body()).contains("bad_parameter").contains("window");
    assertThat(s.get("/api/db/" + name + "/queries?sort=fastest", viewer).statusCode()).isEqualTo(400);
    assertThat(s.get("/api/db/" + name + "/queries?limit=5000", viewer).statusCode()).isEqualTo(400);
    assertThat(s.get("/api/db/" + name + "/shapes/x'y", viewer).statusCode()).isEqualTo(400);
    assertThat(s.get("/api/db/" + name + "/shapes/123?from=yesterday", viewer).statusCode()).isEqualTo(400);
    assertThat(s.get("/api/db/" + name + "/shapes/123", viewer).statusCode()).isEqualTo(404);
    HttpResponse<String> unknown = s.get("/api/db/nope/indexes", viewer);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("database 'nope'");

    HttpResponse<String> metrics = s.get("/metrics", viewer);
    assertThat(metrics.body()).contains("vigil_insight_up{database=\"" + name + "\"}");
  }

  @Test
  void cliInEveryFormat() throws Exception {
    String viewer = s.token(Role.VIEWER);
    CliTest.Result list = CliTest.run("db", "list", "--server", url, "--token", viewer);
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out()).contains("NAME").contains("sqlite");
    String name = Json.MAPPER.readTree(CliTest.run("db", "list", "--format", "json", "--server", url, "--token",
        viewer).out()).path("databases").get(0).path("name").asText();
    CliTest.Result indexes = CliTest.run("db", "indexes", name, "--server", url, "--token", viewer);
    assertThat(indexes.out()).contains("DUPLICATE of orders_total");
    CliTest.Result advise = CliTest.run("db", "advise", name, "--format", "summary", "--server", url, "--token",
        viewer);
    assertThat(advise.out()).contains("DROP INDEX IF EXISTS \"orders_total_copy\";");
    assertThat(CliTest.run("db", "tables", name, "--server", url, "--token", viewer).out()).contains("main.orders");
    assertThat(CliTest.run("db", "activity", name, "--format", "summary", "--server", url, "--token", viewer).code())
        .isZero();
    assertThat(CliTest.run("db", "queries", name, "--window", "1h", "--server", url, "--token", viewer).out())
        .contains("SQLite keeps no statement");
    CliTest.Result unknown = CliTest.run("db", "indexes", "nope", "--server", url, "--token", viewer);
    assertThat(unknown.code()).isNotZero();
    assertThat(unknown.err()).contains("database 'nope'");
  }
}
