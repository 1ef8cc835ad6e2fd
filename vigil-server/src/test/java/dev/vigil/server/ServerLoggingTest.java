package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.logging.LogFiles;
import dev.vigil.logging.LogLevel;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Json;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log files the real server writes, read back with the seed's own jq recipes and over the API. */
class ServerLoggingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Logger log = LoggerFactory.getLogger("dev.vigil.test.App");

  private static List<JsonNode> jsonLines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  /** Runs a seed recipe with bash in the log dir's parent (the recipes name {@code logs/...}). */
  private static String recipe(Path cwd, String command) throws Exception {
    Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).directory(cwd.toFile())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("recipe finished: %s", command).isTrue();
    assertThat(p.exitValue()).as("exit of %s: %s", command, out).isZero();
    return out;
  }

  @Test
  void theSeedsJqRecipesWorkOnTheServersFiles(@TempDir Path dir) throws Exception {
    String operatorId;
    List<String> requestIds = new ArrayList<>();
    try (TestServer s = TestServer.start(dir, Map.of("LOG_SLOW_REQUEST", "1ms", "LOG_CONSOLE", "false"))) {
      String operator = s.token(Role.OPERATOR);
      operatorId = Json.MAPPER.readTree(s.get("/api/tokens", s.adminToken).body()).get("tokens").findValues("id")
          .stream().map(JsonNode::asText).filter(id -> !id.isEmpty()).toList().toString();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = s.get("/api/logs/recent", operator);
        assertThat(r.statusCode()).isEqualTo(200);
        requestIds.add(r.headers().firstValue("X-Request-Id").orElseThrow());
      }
      assertThat(s.get("/api/info", null).statusCode()).isEqualTo(401);
      assertThat(s.get("/api/health", null).statusCode()).isEqualTo(200);
      for (int i = 0; i < 12; i++) {
        log.error("database connection {} failed", i, new IOException("Could not connect to database"));
      }
    }
    Path logs = dir.resolve("logs");
    LogFiles files = new LogFiles(logs, "vigil");

    JsonNode last10 = JSON.readTree(recipe(dir, "cat logs/vigil_errors.log | jq -s '.[-10:]'"));
    assertThat(last10.size()).isEqualTo(10);
    assertThat(last10.get(9).path("message").asText()).isEqualTo("database connection 11 failed");
    assertThat(last10.get(9).path("exception").path("type").asText()).isEqualTo("java.io.IOException");

    String errors = recipe(dir, "cat logs/vigil.log | jq 'select(.level == \"ERROR\")'");
    assertThat(errors.split("\"level\": \"ERROR\"", -1)).hasSize(13);

    String perUser = recipe(dir, "cat logs/vigil_requests.log | jq -r '.user_id' | sort | uniq -c");
    List<JsonNode> requests = jsonLines(files.requests());
    String operatorTokenId = requests.stream().filter(r -> requestIds.contains(r.path("request_id").asText()))
        .map(r -> r.path("user_id").asText()).findFirst().orElseThrow();
    assertThat(operatorId).contains(operatorTokenId);
    assertThat(perUser).containsPattern("\\s3 " + operatorTokenId + "\\n");
    assertThat(perUser).containsPattern("\\s\\d+ null\\n");

    JsonNode slowest = JSON.readTree(recipe(dir,
        "cat logs/vigil_requests.log | jq -s 'sort_by(.response_time_ms) | reverse | .[:10]'"));
    assertThat(slowest.size()).isEqualTo(Math.min(10, requests.size()));
    assertThat(slowest.get(0).path("response_time_ms").asDouble())
        .isGreaterThanOrEqualTo(slowest.get(slowest.size() - 1).path("response_time_ms").asDouble());

    assertThat(recipe(dir, "grep \"database\" logs/vigil_errors.log").lines().count()).isEqualTo(12);

    JsonNode denied = requests.stream().filter(r -> r.path("status_code").asInt() == 401).findFirst().orElseThrow();
    assertThat(denied.path("path").asText()).isEqualTo("/api/info");
    assertThat(denied.path("user_id").isNull()).isTrue();
    assertThat(denied.path("ip_address").asText()).isNotEmpty();
    assertThat(denied.path("user_agent").asText()).startsWith("Java-http-client");
    assertThat(denied.path("slow").isBoolean()).isTrue();
  }

  @Test
  void recentRecordsAreServedToOperatorsNewestFirst(@TempDir Path dir) throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("LOG_CONSOLE", "false"))) {
      String operator = s.token(Role.OPERATOR);
      log.warn("disk almost full");
      log.error("backup failed");
      log.error(LogLevel.CRITICAL_MARKER, "store unreachable");
      await(s, operator);

      JsonNode page = Json.MAPPER.readTree(s.get("/api/logs/recent?level=ERROR&limit=1", operator).body());
      assertThat(page.path("records").get(0).path("message").asText()).isEqualTo("store unreachable");
      assertThat(page.path("records").get(0).path("level").asText()).isEqualTo("CRITICAL");
      assertThat(page.path("next_cursor").asText()).isEqualTo("1");
      JsonNode next = Json.MAPPER.readTree(s.get("/api/logs/recent?level=error&limit=1&cursor=1", operator).body());
      assertThat(next.path("records").get(0).path("message").asText()).isEqualTo("backup failed");
      JsonNode warnings = Json.MAPPER.readTree(s.get("/api/logs/recent?level=warning&limit=3", operator).body());
      assertThat(warnings.path("records").findValues("message").stream().map(JsonNode::asText).toList())
          .containsSubsequence("store unreachable", "backup failed", "disk almost full");

      HttpResponse<String> bad = s.get("/api/logs/recent?level=loud", operator);
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("bad_parameter").contains("level");
      assertThat(s.get("/api/logs/recent?limit=0", operator).statusCode()).isEqualTo(400);
      assertThat(s.get("/api/logs/recent", s.token(Role.VIEWER)).statusCode()).isEqualTo(403);
      assertThat(s.get("/metrics", s.adminToken).body()).contains("vigil_logging_dropped_events_total");
    }
  }

  @Test
  void logEnvironmentVariablesChangeWhatIsWritten(@TempDir Path dir) throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("LOG_LEVEL", "debug", "LOG_JSON_FORMAT", "false",
        "LOG_MAX_BYTES", "1KB", "LOG_BACKUP_COUNT", "2", "LOG_CONSOLE", "false"))) {
      for (int i = 0; i < 40; i++) {
        log.debug("debug line {} {}", i, "x".repeat(100));
      }
      assertThat(s.get("/api/health", null).statusCode()).isEqualTo(200);
    }
    LogFiles files = new LogFiles(dir.resolve("logs"), "vigil");
    assertThat(files.debug()).exists();
    assertThat(Files.readAllLines(files.debug()).get(0)).matches("\\S+ (DEBUG|INFO) +\\[.*");
    assertThat(LogFiles.rotated(files.main(), 2)).exists();
    assertThat(LogFiles.rotated(files.main(), 3)).doesNotExist();
    for (Path p : LogFiles.generations(files.main())) {
      assertThat(Files.size(p)).isLessThanOrEqualTo(1024);
    }
  }

  @Test
  void yamlLoggingKeysChangeWhatIsWritten(@TempDir Path dir) throws Exception {
    Path yml = Files.writeString(dir.resolve("vigil.yml"), """
        logging:
          level: warning
          json: true
          files: true
          console: false
        """);
    try (TestServer s = TestServer.start(dir, Map.of("VIGIL_CONFIG", yml.toString()))) {
      log.info("not at warning");
      log.warn("at warning");
      assertThat(s.get("/api/health", null).statusCode()).isEqualTo(200);
    }
    List<JsonNode> main = jsonLines(new LogFiles(dir.resolve("logs"), "vigil").main());
    assertThat(main).extracting(n -> n.path("message").asText()).contains("at warning")
        .doesNotContain("not at warning");
    assertThat(main).allMatch(n -> !n.path("level").asText().equals("INFO"));
  }

  @Test
  void filesOffWritesOnlyTheAuditTrail(@TempDir Path dir) throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("LOG_FILES", "false", "LOG_CONSOLE", "false"))) {
      log.error("nowhere to go");
      JsonNode body = Json.MAPPER.readTree(s.get("/api/logs/recent", s.adminToken).body());
      assertThat(body.path("files_enabled").asBoolean()).isFalse();
      assertThat(body.path("records").size()).isZero();
    }
    // the audit trail is never switched off: with files off it is all the log dir holds
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir.resolve("logs"))) {
      assertThat(files.map(f -> f.getFileName().toString())).isNotEmpty()
          .allMatch(name -> name.startsWith("vigil_audit.log") || name.equals("vigil_audit.checkpoints")
              || name.equals(".vigil_audit.lock"));
    }
  }

  /** Waits until the async writer has put the last record in the errors file. */
  private static void await(TestServer s, String token) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
        s.get("/api/logs/recent?level=critical", token).body().contains("store unreachable"));
  }
}
