package dev.vigil.server.optimizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.core.testing.MutableClock;
import dev.vigil.server.TestServer;
import dev.vigil.server.auth.Role;
import dev.vigil.server.cli.VigilCommand;
import dev.vigil.server.http.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response-time tuning inside the server, in front of a real (in-process JDK) application: at
 * {@code high} a slow, stable route gets a proxy cache rule, the proxy's summary lists it as added by the
 * optimizer (also in {@code vigil app summary}), and an admin's rollback through the API (what the
 * dashboard's Optimizer panel calls) removes it.
 */
class ResponseTuningApiTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Test
  void aSlowStableRouteGetsARuleThatTheSummaryListsAndAnAdminRollsBack(@TempDir Path dir) throws Exception {
    ExecutorService appThreads = Executors.newFixedThreadPool(4, r -> new Thread(r, "test-app"));
    HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext("/api/report", x -> {
      try {
        Thread.sleep(80); // the application's slow report
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = "{\"report\":\"quarterly\",\"rows\":42}".getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    app.setExecutor(appThreads);
    app.start();
    int listen;
    try (ServerSocket s = new ServerSocket(0)) {
      listen = s.getLocalPort();
    }
    MutableClock clock = new MutableClock(Instant.now());
    try (TestServer s = TestServer.start(dir, Map.of("VIGIL_PROXY_UPSTREAM", "http://127.0.0.1:"
        + app.getAddress().getPort(), "VIGIL_PROXY_LISTEN", "127.0.0.1:" + listen), clock)) {
      URI report = URI.create("http://127.0.0.1:" + listen + "/api/report");
      for (int i = 0; i < 30; i++) {
        clock.advance(Duration.ofMillis(300));
        assertThat(CLIENT.send(HttpRequest.newBuilder(report).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode()).isEqualTo(200);
      }
      String viewer = s.token(Role.VIEWER);
      String admin = s.adminToken;
      JsonNode status = Json.MAPPER.readTree(s.get("/api/optimizer/status", viewer).body());
      assertThat(status.path("tunings").toString()).contains("response.proxy_cache");

      JsonNode run = Json.MAPPER.readTree(post(s, "/api/optimizer/run", admin, "{\"level\":\"high\"}").body());
      JsonNode item = null;
      for (JsonNode i : run.path("items")) {
        if (i.path("proposal").path("family").asText().equals("RESPONSE_TIME")) {
          item = i;
        }
      }
      assertThat(item).as(run.toString()).isNotNull();
      assertThat(item.path("outcome").asText()).isEqualTo("APPLIED");
      assertThat(item.path("proposal").path("details").path("path").asText()).isEqualTo("/api/report");
      String id = item.path("action_id").asText();

      JsonNode rules = Json.MAPPER.readTree(s.get("/api/app/summary", viewer).body()).path("cache_rules");
      assertThat(rules).hasSize(1);
      assertThat(rules.get(0).path("source").asText()).isEqualTo("runtime");
      assertThat(rules.get(0).path("added_by").asText()).isEqualTo("optimizer");
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = VigilCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "app", "summary", "--server",
          "http://127.0.0.1:" + s.server.port(), "--token", viewer, "--format", "table");
      assertThat(code).as(err.toString()).isZero();
      assertThat(out.toString()).contains("/api/report ttl 30 s, added by optimizer at");
      assertThat(CLIENT.send(HttpRequest.newBuilder(report).build(), HttpResponse.BodyHandlers.ofString()).headers()
          .firstValue("X-Vigil-Cache")).hasValue("MISS");
      assertThat(CLIENT.send(HttpRequest.newBuilder(report).build(), HttpResponse.BodyHandlers.ofString()).headers()
          .firstValue("X-Vigil-Cache")).hasValue("HIT");
      JsonNode observing = Json.MAPPER.readTree(s.get("/api/optimizer/status", viewer).body()).path("observing");
      assertThat(observing.get(0).path("id").asText()).isEqualTo(id);

      assertThat(post(s, "/api/optimizer/actions/" + id + "/rollback", viewer, "").statusCode()).isEqualTo(403);
      HttpResponse<String> back = post(s, "/api/optimizer/actions/" + id + "/rollback", admin, "");
      assertThat(back.statusCode()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(back.body()).path("status").asText()).isEqualTo("ROLLED_BACK_MANUALLY");
      assertThat(Json.MAPPER.readTree(s.get("/api/app/summary", viewer).body()).path("cache_rules")).isEmpty();
      assertThat(CLIENT.send(HttpRequest.newBuilder(report).build(), HttpResponse.BodyHandlers.ofString()).headers()
          .firstValue("X-Vigil-Cache")).isEmpty();
      JsonNode actions = Json.MAPPER.readTree(s.get("/api/optimizer/actions?limit=10", viewer).body());
      assertThat(actions.path("actions").get(0).path("status").asText()).isEqualTo("ROLLED_BACK_MANUALLY");
    } finally {
      app.stop(0);
      appThreads.shutdownNow();
    }
  }

  private static HttpResponse<String> post(TestServer s, String path, String token, String body) throws Exception {
    return s.send(HttpRequest.newBuilder(s.uri(path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }
}
