package dev.vigil.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.server.feature.Features;
import dev.vigil.server.TestServer;
import dev.vigil.server.auth.Role;
import dev.vigil.server.cli.VigilCommand;
import dev.vigil.server.http.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy inside the server, in front of a real application (Python's own http.server over a
 * directory): routes, summary, purge (audited), meters, the request-log file and the off state.
 */
class ProxyFeatureTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Test
  void theServerRunsTheProxyAndReportsIt(@TempDir Path dir) throws Exception {
    Path site = Files.createDirectories(dir.resolve("site/api/projects"));
    Files.writeString(site.resolve("1"), "{\"id\":1}");
    Files.writeString(site.resolve("2"), "{\"id\":2}");
    Process app = new ProcessBuilder("/usr/bin/python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1")
        .directory(dir.resolve("site").toFile()).redirectErrorStream(true).start();
    try {
      BufferedReader appOut = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
      String line = appOut.readLine();
      int appPort = Integer.parseInt(line.replaceAll(".*port (\\d+).*", "$1"));
      int listen;
      try (ServerSocket s = new ServerSocket(0)) {
        listen = s.getLocalPort();
      }
      Path yml = dir.resolve("vigil.yml");
      Files.writeString(yml, "proxy:\n  cache:\n    rules:\n      - {path: \"/api/projects/*\", ttl: 30s, tags: [projects]}\n");
      try (TestServer s = TestServer.start(dir, Map.of("VIGIL_PROXY_UPSTREAM", "http://127.0.0.1:" + appPort,
          "VIGIL_PROXY_LISTEN", "127.0.0.1:" + listen, "VIGIL_CONFIG", yml.toString()))) {
        String front = "http://127.0.0.1:" + listen;
        HttpResponse<String> miss = CLIENT.send(HttpRequest.newBuilder(URI.create(front + "/api/projects/1")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(miss.statusCode()).isEqualTo(200);
        assertThat(miss.body()).isEqualTo("{\"id\":1}");
        assertThat(miss.headers().firstValue("X-Vigil-Cache")).hasValue("MISS");
        HttpResponse<String> hit = CLIENT.send(HttpRequest.newBuilder(URI.create(front + "/api/projects/1")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(hit.headers().firstValue("X-Vigil-Cache")).hasValue("HIT");

        String viewer = s.token(Role.VIEWER);
        await().atMost(Duration.ofSeconds(5)).until(() -> Json.MAPPER.readTree(s.get("/api/app/routes", viewer).body())
            .path("routes").size() > 0);
        JsonNode routes = Json.MAPPER.readTree(s.get("/api/app/routes", viewer).body()).path("routes");
        assertThat(routes.get(0).path("route").asText()).isEqualTo("/api/projects/{id}");
        assertThat(routes.get(0).path("cache_hits").asLong()).isEqualTo(1);
        assertThat(routes.get(0).has("p99_ms")).isTrue();
        JsonNode summary = Json.MAPPER.readTree(s.get("/api/app/summary", viewer).body());
        assertThat(summary.path("upstream_up").asBoolean()).isTrue();
        assertThat(summary.path("listen").asText()).isEqualTo("127.0.0.1:" + listen);
        assertThat(s.get("/api/app/summary", null).statusCode()).isEqualTo(401);

        HttpResponse<String> denied = s.send(HttpRequest.newBuilder(s.uri("/api/app/cache/purge"))
            .header("Authorization", "Bearer " + viewer).POST(HttpRequest.BodyPublishers.ofString("{\"tag\":\"projects\"}")).build());
        assertThat(denied.statusCode()).isEqualTo(403);
        String operator = s.token(Role.OPERATOR);
        HttpResponse<String> purged = s.send(HttpRequest.newBuilder(s.uri("/api/app/cache/purge"))
            .header("Authorization", "Bearer " + operator).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"tag\":\"projects\"}")).build());
        assertThat(purged.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(purged.body()).path("removed").asLong()).isEqualTo(1);
        HttpResponse<String> bad = s.send(HttpRequest.newBuilder(s.uri("/api/app/cache/purge"))
            .header("Authorization", "Bearer " + operator).POST(HttpRequest.BodyPublishers.ofString("{\"host\":\"x\"}")).build());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(s.audited("app.cache.purge")).hasSizeGreaterThanOrEqualTo(1);
        HttpResponse<String> again = CLIENT.send(HttpRequest.newBuilder(URI.create(front + "/api/projects/1")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(again.headers().firstValue("X-Vigil-Cache")).hasValue("MISS");

        String url = "http://127.0.0.1:" + s.server.port();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VigilCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "app", "routes", "--server", url,
            "--token", viewer);
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("ROUTE").contains("/api/projects/{id}");
        out.getBuffer().setLength(0);
        code = VigilCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "app", "summary", "--server", url,
            "--token", viewer, "--format", "summary");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains(" is up");
        out.getBuffer().setLength(0);
        code = VigilCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "app", "purge", "--prefix", "/api",
            "--server", url, "--token", operator, "--format", "summary");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Purged 1 cached response(s) by prefix '/api'");
        code = VigilCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "app", "purge", "--server", url,
            "--token", operator);
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("exactly one of");

        String metrics = s.get("/metrics", s.token(Role.ADMIN)).body();
        assertThat(metrics).contains("vigil_proxy_requests").contains("route=\"/api/projects/{id}\"");
        JsonNode info = Json.MAPPER.readTree(s.get("/api/info", viewer).body());
        assertThat(info.path("health").path("proxy").path("status").asText()).isEqualTo("up");
      }
      Path log = dir.resolve("logs").resolve(Files.list(dir.resolve("logs"))
          .filter(p -> p.getFileName().toString().endsWith("_app_requests.log")).findFirst().orElseThrow().getFileName());
      String first = Files.readAllLines(log).get(0);
      JsonNode rec = Json.MAPPER.readTree(first);
      assertThat(rec.path("method").asText()).isEqualTo("GET");
      assertThat(rec.path("path").asText()).isEqualTo("/api/projects/1");
      assertThat(rec.path("status_code").asInt()).isEqualTo(200);
      assertThat(rec.has("response_time_ms")).isTrue();
      assertThat(rec.path("ip_address").asText()).isEqualTo("127.0.0.1");
      assertThat(rec.has("timestamp")).isTrue();
    } finally {
      app.destroy();
    }
  }

  @Test
  void everyProxyKeyOfTheConfigurationFileReachesTheProxy(@TempDir Path dir) throws Exception {
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(yml, """
        proxy:
          upstream: http://127.0.0.1:5000
          header_timeout: 7s
          max_connections: 500
          read_timeout: 9s
          request_buffer_bytes: 1000
          request_buffer_total_bytes: 5000
          limits: {min_upload_rate: 10}
        """);
    ProxyConfig c = ProxyFeature.config(Features.loadConfig(yml, Map.of()));
    assertThat(c.headerTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(c.maxConnections()).isEqualTo(500);
    assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(9));
    assertThat(c.requestBufferBytes()).isEqualTo(1000);
    assertThat(c.requestBufferTotalBytes()).isEqualTo(5000);
    assertThat(c.minUploadRate()).isEqualTo(10);
    Files.writeString(yml, "proxy:\n  upstream: http://127.0.0.1:5000\n  header_timeout: 0s\n");
    assertThatThrownBy(() -> ProxyFeature.config(Features.loadConfig(yml, Map.of())))
        .hasMessageContaining("proxy.header_timeout");
  }

  @Test
  void withoutAnUpstreamTheRoutesSayNotEnabled(@TempDir Path dir) throws Exception {
    try (TestServer s = TestServer.start(dir)) {
      HttpResponse<String> r = s.get("/api/app/summary", s.token(Role.VIEWER));
      assertThat(r.statusCode()).isEqualTo(409);
      assertThat(r.body()).contains("not_enabled").contains("VIGIL_PROXY_UPSTREAM");
    }
  }
}
