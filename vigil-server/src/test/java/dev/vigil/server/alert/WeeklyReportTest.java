package dev.vigil.server.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.server.TestServer;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Json;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Confluence weekly report page of a running server, sent to WireMock stubs that accept only
 * Confluence's content API shape: the storage-format body carries the four sections with the
 * server's real data: the incident (a test notification), the SLO budget of a probe, the week's
 * backups (one verified, one failed with its reason) and the optimizer action applied.
 */
class WeeklyReportTest {
  @TempDir Path dir;
  private WireMockServer wm;
  private HttpServer app;

  @BeforeEach
  void start() throws Exception {
    wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    wm.start();
    app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext("/", ex -> {
      byte[] b = "ok".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    app.start();
  }

  @AfterEach
  void stop() {
    wm.stop();
    app.stop(0);
  }

  @Test
  void thePageCarriesIncidentsSloBudgetsBackupsAndOptimizerActions() throws Exception {
    Path db = dir.resolve("erp.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT)");
      st.execute("INSERT INTO orders VALUES (1, 'tea')");
    }
    String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("ops@example.com:wiki-t0ken-999"
        .getBytes(StandardCharsets.UTF_8));
    wm.stubFor(get(urlPathEqualTo("/wiki/rest/api/content")).withQueryParam("spaceKey", equalTo("OPS"))
        .withHeader("Authorization", equalTo(basic))
        .willReturn(aResponse().withStatus(200).withBody("{\"results\": []}")));
    wm.stubFor(post("/wiki/rest/api/content").withHeader("Authorization", equalTo(basic))
        .withRequestBody(matchingJsonPath("$.type", equalTo("page")))
        .withRequestBody(matchingJsonPath("$.space.key", equalTo("OPS")))
        .withRequestBody(matchingJsonPath("$.body.storage.representation", equalTo("storage")))
        .willReturn(aResponse().withStatus(200).withBody("{\"id\": \"901\"}")));
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(yml, """
        backup:
          databases:
            erp: "sqlite://%1$s"
            ledger: "postgresql://postgres@127.0.0.1:5432/vigil_report_missing_db"
        alerts:
          builtin: {enabled: false}
          receivers:
            wiki: {type: confluence, url: "http://127.0.0.1:%2$d/wiki", user: ops@example.com, token: "${WIKI_TOKEN}", space: OPS}
          route: {receiver: wiki, group_wait: 0s}
        probes:
          - {name: erp-home, url: "http://127.0.0.1:%3$d/", interval: 1s, timeout: 1s, slo: {objective: 0.999}}
        """.formatted(db.toAbsolutePath(), wm.port(), app.getAddress().getPort()));
    // a pressure threshold below any real RAM use, so the optimizer's cache-budget tuning applies a change
    try (TestServer s = TestServer.start(dir, Map.of("VIGIL_CONFIG", yml.toString(), "WIKI_TOKEN", "wiki-t0ken-999",
        "ENABLE_MONITORING", "true", "MONITORING_INTERVAL", "200ms", "VIGIL_OPTIMIZER_MEMORY_PRESSURE", "1",
        "ENABLE_BACKUP_SCHEDULER", "false"))) {
      String operator = s.token(Role.OPERATOR);
      String viewer = s.token(Role.VIEWER);
      HttpResponse<String> ok = call(s, "/api/backup/create", operator, "{\"database\": \"erp\"}");
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      String file = Json.MAPPER.readTree(ok.body()).path("backup").path("filename").asText();
      assertThat(call(s, "/api/backup/create", operator, "{\"database\": \"ledger\"}").statusCode()).isGreaterThanOrEqualTo(400);
      await().atMost(Duration.ofSeconds(10)).until(() -> s.server.monitor().orElseThrow().latest().isPresent());
      JsonNode run = Json.MAPPER.readTree(call(s, "/api/optimizer/run", s.adminToken, "{\"level\":\"medium\"}").body());
      assertThat(run.path("items").get(0).path("outcome").asText()).as(run.toString()).isEqualTo("APPLIED");
      await().atMost(Duration.ofSeconds(10)).until(() -> Json.MAPPER.readTree(s.get("/api/probes", viewer).body())
          .path("probes").get(0).path("checks_24h").asInt() >= 1);

      assertThat(call(s, "/api/alerts/test/wiki", operator, "").statusCode()).isEqualTo(202);
      await().atMost(Duration.ofSeconds(20)).until(() -> !wm.findAll(postRequestedFor(urlEqualTo("/wiki/rest/api/content")))
          .isEmpty());
      String page = Json.MAPPER.readTree(wm.findAll(postRequestedFor(urlEqualTo("/wiki/rest/api/content"))).get(0)
          .getBodyAsString()).path("body").path("storage").path("value").asText();

      assertThat(section(page, "Incidents")).contains("VigilTest").contains("firing").contains("Test notification");
      assertThat(section(page, "SLO budgets")).contains("<td>erp-home</td>").contains("99.900%")
          .contains("Error budget left").containsPattern("<td>-?\\d+\\.\\d%</td>");
      assertThat(section(page, "Backups")).contains("<td>erp</td>").contains(file).contains("SUCCEEDED")
          .contains("verified").contains("<td>ledger</td>").contains("FAILED").contains("does not exist");
      assertThat(section(page, "Optimizer actions")).contains("memory.cache_budget").contains("OBSERVING");
      assertThat(page).doesNotContain("wiki-t0ken-999");
    }
  }

  /** The part of the page under heading {@code title}, up to the next heading. */
  private static String section(String page, String title) {
    Matcher m = Pattern.compile("<h2>" + Pattern.quote(title) + "</h2>(.*?)(?=<h2>|$)", Pattern.DOTALL).matcher(page);
    assertThat(m.find()).as("section " + title + " in " + page).isTrue();
    return m.group(1);
  }

  private static HttpResponse<String> call(TestServer s, String path, String token, String body) throws Exception {
    return s.send(HttpRequest.newBuilder(s.uri(path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }
}
