package dev.vigil.server.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.server.TestServer;
import dev.vigil.server.auth.Role;
import dev.vigil.server.cli.VigilCommand;
import dev.vigil.server.http.Json;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerts feature in a running server: a rule over /metrics reaches a webhook; silences, test, jobs
 * over REST; a built-in backup rule fires from the backup meters.
 */
class AlertApiTest {
  @TempDir Path dir;

  @Test
  void ruleFiresToTheWebhookAndTheRoutesWork() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    List<String> signatures = new CopyOnWriteArrayList<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext("/hook", ex -> {
      bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      signatures.add(ex.getRequestHeaders().getFirst("X-Vigil-Signature"));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    hook.createContext("/app", ex -> {
      byte[] b = "ERP ready".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    hook.start();
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(yml, """
        alerts:
          evaluation_interval: 200ms
          builtin: {enabled: false}
          receivers:
            hook: {type: webhook, url: "http://127.0.0.1:%1$d/hook", secret: "${HOOK_SECRET}"}
          route: {receiver: hook, group_wait: 0s}
          rules:
            - name: EngineRuns
              metric: vigil_alerts_evaluation_seconds_count
              op: ">"
              threshold: 0
              severity: warning
              summary: "evaluated {{ value }} times"
              summary_ar: "تم التقييم {{ value }} مرة"
        probes:
          - {name: erp-home, url: "http://127.0.0.1:%1$d/app", interval: 1s, timeout: 1s, expect_status: 200, expect_keyword: "ready", slo: {objective: 0.999, latency_ms: 2000}}
        """.formatted(hook.getAddress().getPort()));
    try (TestServer s = TestServer.start(dir, Map.of("VIGIL_CONFIG", yml.toString(), "HOOK_SECRET", "very-secret-hmac"))) {
      String viewer = s.token(Role.VIEWER);
      String operator = s.token(Role.OPERATOR);
      await().atMost(Duration.ofSeconds(20)).until(() -> bodies.stream().anyMatch(b -> b.contains("EngineRuns")));
      assertThat(signatures.get(0)).startsWith("sha256=");

      JsonNode alerts = Json.MAPPER.readTree(s.get("/api/alerts", viewer).body());
      assertThat(alerts.path("firing").asInt()).as(alerts.toString()).isEqualTo(1);
      assertThat(alerts.path("alerts").get(0).path("alert").path("labels").path("alertname").asText()).isEqualTo("EngineRuns");
      assertThat(alerts.path("receivers").path("hook").asText()).isEqualTo("webhook");
      JsonNode rules = Json.MAPPER.readTree(s.get("/api/alerts/rules", viewer).body());
      assertThat(rules.path("rules").get(0).path("summary").path("ar").asText()).contains("تم التقييم");

      // silences: operator only, validated, audited
      String silence = "{\"matchers\": [\"alertname=\\\"EngineRuns\\\"\"], \"duration\": \"1h\", \"comment\": \"test\"}";
      assertThat(post(s, "/api/alerts/silences", viewer, silence).statusCode()).isEqualTo(403);
      HttpResponse<String> bad = post(s, "/api/alerts/silences", operator, "{\"matchers\": [\"alertname\"], \"duration\": \"1h\", \"comment\": \"x\"}");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("invalid_request").contains("matcher must look like");
      HttpResponse<String> created = post(s, "/api/alerts/silences", operator, silence);
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String id = Json.MAPPER.readTree(created.body()).path("id").asText();
      await().atMost(Duration.ofSeconds(5)).until(() -> Json.MAPPER.readTree(s.get("/api/alerts", viewer).body())
          .path("silenced").asInt() == 1);
      JsonNode silences = Json.MAPPER.readTree(s.get("/api/alerts/silences", viewer).body()).path("silences");
      assertThat(silences.get(0).path("state").asText()).isEqualTo("active");
      assertThat(silences.get(0).path("created_by").asText()).isNotBlank();
      assertThat(s.send(HttpRequest.newBuilder(s.uri("/api/alerts/silences/" + id)).DELETE()
          .header("Authorization", "Bearer " + operator).build()).statusCode()).isEqualTo(200);
      assertThat(s.send(HttpRequest.newBuilder(s.uri("/api/alerts/silences/" + id)).DELETE()
          .header("Authorization", "Bearer " + operator).build()).statusCode()).isEqualTo(404);
      assertThat(s.audited("alerts.silence")).isNotEmpty();

      // test notifications
      assertThat(post(s, "/api/alerts/test/hook", operator, "").statusCode()).isEqualTo(202);
      assertThat(post(s, "/api/alerts/test/nope", operator, "").statusCode()).isEqualTo(404);
      await().atMost(Duration.ofSeconds(10)).until(() -> bodies.stream().anyMatch(b -> b.contains("VigilTest")));

      await().atMost(Duration.ofSeconds(10)).until(() -> Json.MAPPER.readTree(s.get("/api/jobs", viewer).body())
          .path("counts").path("DONE").asInt() >= 2);
      JsonNode jobs = Json.MAPPER.readTree(s.get("/api/jobs", viewer).body());
      assertThat(jobs.path("jobs").get(0).has("payload")).isFalse();
      assertThat(s.get("/api/jobs?status=bogus", viewer).statusCode()).isEqualTo(400);
      JsonNode log = Json.MAPPER.readTree(s.get("/api/alerts/notifications", viewer).body());
      assertThat(log.path("notifications").get(0).path("log").get(0).path("outcome").asText()).isEqualTo("DONE");
      for (String path : List.of("/api/alerts", "/api/alerts/rules", "/api/alerts/notifications", "/api/jobs", "/api/info")) {
        assertThat(s.get(path, viewer).body()).as(path).doesNotContain("very-secret-hmac");
      }
      assertThat(s.get("/api/alerts", null).statusCode()).isEqualTo(401);

      // probes and SLOs
      await().atMost(Duration.ofSeconds(10)).until(() -> Json.MAPPER.readTree(s.get("/api/probes", viewer).body())
          .path("probes").get(0).path("checks_24h").asInt() >= 2);
      JsonNode probe = Json.MAPPER.readTree(s.get("/api/probes", viewer).body()).path("probes").get(0);
      assertThat(probe.path("last").path("up").asBoolean()).isTrue();
      // the first check may time out on a loaded machine (cold JIT); later ones pass
      assertThat(probe.path("uptime_24h").asDouble()).isGreaterThan(0.5);
      JsonNode slo = Json.MAPPER.readTree(s.get("/api/slo", viewer).body()).path("slos").get(0);
      assertThat(slo.path("sli").asDouble()).isGreaterThan(0.5);
      assertThat(slo.path("burn_rates").has("5m")).isTrue();
      assertThat(slo.path("error_budget_remaining").isNumber()).isTrue();
      assertThat(s.get("/api/probes/erp-home/history", viewer).body()).contains("\"up\":true");
      assertThat(s.get("/api/probes/nope/history", viewer).statusCode()).isEqualTo(404);
      assertThat(Json.MAPPER.readTree(s.get("/api/alerts/rules", viewer).body()).toString()).contains("SloFastBurn");

      // the CLI over the same routes
      String url = "http://127.0.0.1:" + s.server.port();
      StringWriter out = new StringWriter();
      assertThat(VigilCommand.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
          "alerts", "list", "--server", url, "--token", operator)).isZero();
      assertThat(out.toString()).contains("EngineRuns").contains("FIRING");
      out.getBuffer().setLength(0);
      assertThat(VigilCommand.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
          "alerts", "silence", "-m", "alertname=\"EngineRuns\"", "--duration", "30m", "--comment", "cli",
          "--server", url, "--token", operator)).isZero();
      String silenceId = out.toString().split(" ")[1];
      assertThat(VigilCommand.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
          "alerts", "unsilence", silenceId, "--server", url, "--token", operator)).isZero();
      StringWriter err = new StringWriter();
      assertThat(VigilCommand.run(new PrintWriter(out, true), new PrintWriter(err, true),
          "alerts", "test", "nope", "--server", url, "--token", operator)).isNotZero();
      assertThat(err.toString()).contains("receiver nope");
      out.getBuffer().setLength(0);
      assertThat(VigilCommand.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
          "alerts", "rules", "--format", "json", "--server", url, "--token", viewer)).isZero();
      assertThat(out.toString()).contains("\"EngineRuns\"");
      out.getBuffer().setLength(0);
      assertThat(VigilCommand.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
          "probes", "--server", url, "--token", viewer)).isZero();
      assertThat(out.toString()).contains("erp-home").contains("up");
      out.getBuffer().setLength(0);
      assertThat(VigilCommand.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
          "slo", "--server", url, "--token", viewer)).isZero();
      assertThat(out.toString()).contains("erp-home").contains("99.900%");
    } finally {
      hook.stop(0);
    }
  }

  @Test
  void builtInBackupVerificationFailedFiresAfterAFailedVerificationAndResolvesAfterAPassingOne() throws Exception {
    Path db = dir.resolve("shop.db").toAbsolutePath();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)");
      st.execute("INSERT INTO orders (total) VALUES (9.5), (12.25), (3.0)");
    }
    Path yml = Files.writeString(dir.resolve("vigil.yml"), "alerts:\n  evaluation_interval: 200ms\n");
    Path backups = dir.resolve("backups");
    try (TestServer s = TestServer.start(dir, Map.of("VIGIL_CONFIG", yml.toString(), "DATABASE_URL", "sqlite://" + db,
        "BACKUP_DIR", backups.toString()))) {
      String viewer = s.token(Role.VIEWER);
      String operator = s.token(Role.OPERATOR);
      HttpResponse<String> created = post(s, "/api/backup/create", operator, "{}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
      String file = Json.MAPPER.readTree(created.body()).path("backup").path("filename").asText();
      // the backup's own verification passed: evaluations run and the rule stays quiet
      long evaluated = evaluations(s, viewer);
      await().atMost(Duration.ofSeconds(10)).until(() -> evaluations(s, viewer) >= evaluated + 3);
      assertThat(verificationAlerts(s, viewer)).isEmpty();

      try (RandomAccessFile f = new RandomAccessFile(backups.resolve(file).toFile(), "rw")) {
        f.seek(f.length() / 2);
        f.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
      }
      HttpResponse<String> verified = post(s, "/api/backup/verify/" + file, operator, "");
      assertThat(Json.MAPPER.readTree(verified.body()).path("success").asBoolean(true)).as(verified.body()).isFalse();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(verificationAlerts(s, viewer))
          .singleElement().satisfies(a -> {
            assertThat(a.path("state").asText()).isEqualTo("FIRING");
            assertThat(a.path("labels").path("database").asText()).isEqualTo("default");
            assertThat(a.path("labels").path("severity").asText()).isEqualTo("critical");
            assertThat(a.path("annotations").path("summary").asText())
                .isEqualTo("Verification of a backup of default failed");
          }));

      // a new backup verifies: the newest verification passed, the alert resolves
      assertThat(post(s, "/api/backup/create", operator, "{}").statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(verificationAlerts(s, viewer))
          .allSatisfy(a -> assertThat(a.path("state").asText()).isEqualTo("RESOLVED")));
    }
  }

  /** The BackupVerificationFailed alerts {@code /api/alerts} lists. */
  private static List<JsonNode> verificationAlerts(TestServer s, String token) throws Exception {
    JsonNode alerts = Json.MAPPER.readTree(s.get("/api/alerts", token).body()).path("alerts");
    List<JsonNode> out = new ArrayList<>();
    alerts.forEach(a -> {
      if ("BackupVerificationFailed".equals(a.path("alert").path("labels").path("alertname").asText())) {
        out.add(a.path("alert"));
      }
    });
    return out;
  }

  /** How often the rules were evaluated, from {@code /metrics}. */
  private static long evaluations(TestServer s, String token) throws Exception {
    return s.get("/metrics", token).body().lines().filter(l -> l.startsWith("vigil_alerts_evaluation_seconds_count"))
        .map(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0L);
  }

  private static HttpResponse<String> post(TestServer s, String path, String token, String body) throws Exception {
    return s.send(HttpRequest.newBuilder(s.uri(path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

}
