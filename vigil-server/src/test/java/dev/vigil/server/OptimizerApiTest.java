package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/optimizer/*} and {@code vigil optimize} on a real server: levels decide what is applied,
 * a dry run changes nothing, an applied change is listed, audited and rolled back by hand, and bad
 * input is answered with a clear 4xx.
 */
class OptimizerApiTest {
  @TempDir
  static Path dir;
  static TestServer s;
  static String admin;
  static String viewer;

  @BeforeAll
  static void start() throws Exception {
    // a pressure threshold below any real RAM use, so the cache-budget tuning proposes a change here
    s = TestServer.start(dir, Map.of("ENABLE_MONITORING", "true", "MONITORING_INTERVAL", "200ms",
        "VIGIL_OPTIMIZER_MEMORY_PRESSURE", "1"));
    admin = s.adminToken;
    viewer = s.token(Role.VIEWER);
    await().atMost(Duration.ofSeconds(10)).until(() -> s.server.monitor().orElseThrow().latest().isPresent());
  }

  @AfterAll
  static void stop() throws Exception {
    s.close();
  }

  private static HttpResponse<String> post(String path, String token, String body) throws Exception {
    return s.send(HttpRequest.newBuilder(s.uri(path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static long l1Capacity() {
    return s.server.context().cache().l1Capacity();
  }

  @Test
  void levelsDryRunsApplyHistoryAndRollback() throws Exception {
    JsonNode status = Json.MAPPER.readTree(s.get("/api/optimizer/status", viewer).body());
    assertThat(status.path("level").asText()).isEqualTo("low");
    assertThat(status.path("enabled").asBoolean()).isTrue();
    assertThat(status.path("tunings").toString()).contains("memory.cache_budget").contains("memory.leak_watch");

    long capacity = l1Capacity();
    JsonNode low = Json.MAPPER.readTree(post("/api/optimizer/run", admin, "{\"level\":\"low\"}").body());
    assertThat(low.path("items").get(0).path("outcome").asText()).isEqualTo("NEEDS_LEVEL");
    JsonNode dry = Json.MAPPER.readTree(post("/api/optimizer/run", admin,
        "{\"level\":\"medium\",\"dry_run\":true}").body());
    assertThat(dry.path("items").get(0).path("outcome").asText()).isEqualTo("DRY_RUN");
    assertThat(l1Capacity()).isEqualTo(capacity);
    JsonNode report = Json.MAPPER.readTree(s.get("/api/optimizer/report", viewer).body());
    assertThat(report.path("proposals").get(0).path("proposal").path("level").asText()).isEqualTo("MEDIUM");

    JsonNode applied = Json.MAPPER.readTree(post("/api/optimizer/run", admin, "{\"level\":\"medium\"}").body());
    JsonNode item = applied.path("items").get(0);
    assertThat(item.path("outcome").asText()).isEqualTo("APPLIED");
    assertThat(l1Capacity()).isEqualTo(Math.max(1000, capacity / 2));
    String id = item.path("action_id").asText();
    JsonNode actions = Json.MAPPER.readTree(s.get("/api/optimizer/actions", viewer).body());
    assertThat(actions.path("actions").get(0).path("status").asText()).isEqualTo("OBSERVING");
    assertThat(actions.path("actions").get(0).path("proposal").path("family").asText()).isEqualTo("MEMORY");

    HttpResponse<String> back = post("/api/optimizer/actions/" + id + "/rollback", admin, "");
    assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(back.body()).path("status").asText()).isEqualTo("ROLLED_BACK_MANUALLY");
    assertThat(l1Capacity()).isEqualTo(capacity);
    assertThat(post("/api/optimizer/actions/" + id + "/rollback", admin, "").statusCode()).isEqualTo(409);
    assertThat(post("/api/optimizer/actions/nope/rollback", admin, "").statusCode()).isEqualTo(404);
    assertThat(s.audited("optimizer.run")).hasSizeGreaterThanOrEqualTo(3);
    assertThat(s.audited("optimizer.apply")).isNotEmpty();
    assertThat(s.audited("optimizer.rollback")).isNotEmpty();
  }

  @Test
  void badInputAndRolesAreRefusedClearly() throws Exception {
    HttpResponse<String> bad = post("/api/optimizer/run", admin, "{\"level\":\"extreme\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("low, medium, high, aggressive");
    assertThat(post("/api/optimizer/run", admin, "{\"levle\":\"low\"}").statusCode()).isEqualTo(400);
    assertThat(post("/api/optimizer/run", viewer, "{}").statusCode()).isEqualTo(403);
    assertThat(post("/api/optimizer/disable", s.token(Role.OPERATOR), "").statusCode()).isEqualTo(403);
    assertThat(post("/api/optimizer/disable", admin, "").statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(s.get("/api/optimizer/status", viewer).body()).path("enabled").asBoolean())
        .isFalse();
    assertThat(post("/api/optimizer/enable", admin, "").statusCode()).isEqualTo(200);
  }

  @Test
  void theCliShowsStatusReportAndHistory() {
    String url = "http://127.0.0.1:" + s.server.port();
    CliTest.Result status = CliTest.run("optimize", "--status", "--server", url, "--token", viewer);
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).contains("level").contains("low");
    CliTest.Result report = CliTest.run("optimize", "--report", "--server", url, "--token", viewer);
    assertThat(report.out()).contains("MEDIUM").contains("MEMORY");
    CliTest.Result test = CliTest.run("optimize", "--test", "--format", "summary", "--server", url, "--token", admin);
    assertThat(test.code()).as(test.err()).isZero();
    assertThat(test.out()).contains("proposal(s)");
    CliTest.Result history = CliTest.run("optimize", "--history", "--server", url, "--token", viewer);
    assertThat(history.code()).as(history.err()).isZero();
    CliTest.Result misuse = CliTest.run("optimize", "--status", "--force", "--server", url, "--token", viewer);
    assertThat(misuse.code()).isNotZero();
    assertThat(misuse.err()).contains("--force");
  }
}
