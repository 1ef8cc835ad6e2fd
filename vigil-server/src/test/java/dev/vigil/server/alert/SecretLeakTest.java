package dev.vigil.server.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.server.TestServer;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Json;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attack on the receivers' secrets: every peer rejects the delivery and echoes back what it was
 * sent (the request URL with its key, every header including Authorization). The secrets still never
 * appear in {@code GET /api/alerts/*}, {@code /api/jobs}, the delivery log or the log files; the echo
 * is there, masked.
 */
class SecretLeakTest {
  @TempDir Path dir;

  @Test
  void echoedSecretsAreMaskedEverywhere() throws Exception {
    HttpServer echo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    echo.createContext("/", ex -> {
      StringBuilder sb = new StringBuilder("rejected ").append(ex.getRequestURI()).append('\n');
      ex.getRequestHeaders().forEach((k, v) -> sb.append(k).append(": ").append(String.join(",", v)).append('\n'));
      byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(400, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    echo.start();
    Map<String, String> secrets = Map.of("HOOK_TOKEN", "hookquerytoken77", "HOOK_SECRET", "hmac-key-never-sent",
        "SLACK_KEY", "slackpathkey55", "AM_TOKEN", "am-bearer-44", "GH_TOKEN", "ghp_leaky33", "JIRA_TOKEN", "jira-api-22",
        "SMTP_PASSWORD", "smtp-pass-11");
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(yml, """
        alerts:
          builtin: {enabled: false}
          receivers:
            hook: {type: webhook, url: "http://127.0.0.1:%1$d/hook?token=${HOOK_TOKEN}", secret: "${HOOK_SECRET}"}
            slack: {type: slack, url: "http://127.0.0.1:%1$d/services/T0/B0/${SLACK_KEY}"}
            am: {type: alertmanager, url: "http://127.0.0.1:%1$d/am", bearer_token: "${AM_TOKEN}"}
            gh: {type: github, api_url: "http://127.0.0.1:%1$d/gh", repo: acme/erp, token: "${GH_TOKEN}"}
            jira: {type: jira, url: "http://127.0.0.1:%1$d/jira", user: ops@example.com, token: "${JIRA_TOKEN}", project: OPS}
            mail: {type: email, to: [ops@example.com], smtp: {host: 127.0.0.1, port: 1, username: vigil, password: "${SMTP_PASSWORD}", starttls: true}, timeout: 2s}
          route: {receiver: hook}
        """.formatted(echo.getAddress().getPort()));
    Map<String, String> env = new HashMap<>(secrets);
    env.put("VIGIL_CONFIG", yml.toString());
    try (TestServer s = TestServer.start(dir, env)) {
      String operator = s.token(Role.OPERATOR);
      String viewer = s.token(Role.VIEWER);
      List<String> receivers = List.of("hook", "slack", "am", "gh", "jira", "mail");
      for (String r : receivers) {
        assertThat(s.send(HttpRequest.newBuilder(s.uri("/api/alerts/test/" + r)).header("Authorization", "Bearer "
            + operator).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(202);
      }
      // each peer rejected its delivery once (400 is permanent); the mail server is not there (retried)
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        JsonNode log = Json.MAPPER.readTree(s.get("/api/alerts/notifications", viewer).body()).path("notifications");
        long dead = 0;
        long mailTried = 0;
        for (JsonNode n : log) {
          dead += n.path("status").asText().equals("DEAD") ? 1 : 0;
          mailTried += n.path("receiver").asText().equals("mail") && n.path("attempts").asInt() >= 1
              && !n.path("last_error").isNull() ? 1 : 0;
        }
        return dead == 5 && mailTried == 1;
      });
      String deliveries = s.get("/api/alerts/notifications", viewer).body();
      // the echo reached the delivery log, masked
      assertThat(deliveries).contains("token=********").contains("Bearer ********").contains("rejected ********\\n")
          .contains("Basic ********");
      for (String path : List.of("/api/alerts", "/api/alerts/rules", "/api/alerts/notifications",
          "/api/alerts/notifications?limit=1000", "/api/alerts/silences", "/api/jobs", "/api/jobs?status=dead",
          "/api/jobs?queue=hook", "/api/probes", "/api/slo", "/api/info", "/api/health")) {
        String body = s.get(path, viewer).body();
        for (String secret : secrets.values()) {
          assertThat(body).as(path).doesNotContain(secret);
        }
      }
      String audit = s.get("/api/audit?limit=1000", s.adminToken).body();
      for (String secret : secrets.values()) {
        assertThat(audit).doesNotContain(secret);
      }
    } finally {
      echo.stop(0);
    }
    try (Stream<Path> logs = Files.walk(dir.resolve("logs"))) {
      for (Path log : logs.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(log);
        for (String secret : secrets.values()) {
          assertThat(text).as(log.toString()).doesNotContain(secret);
        }
      }
    }
  }
}
