package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.auth.Role;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpBehaviourTest {
  @TempDir
  static Path dir;
  static TestServer s;

  @BeforeAll
  static void start() {
    s = TestServer.start(dir, Map.of("VIGIL_SERVER_MAX_BODY_BYTES", "4KB"));
  }

  @AfterAll
  static void stop() throws Exception {
    s.close();
  }

  private static HttpResponse<String> post(String path, String token, String body) throws Exception {
    return s.send(HttpRequest.newBuilder(s.uri(path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  @Test
  void errorsAreJsonWithTheRightStatus() throws Exception {
    HttpResponse<String> unknown = s.get("/api/nothing-here", s.adminToken);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("\"code\":\"not_found\"");
    assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));

    HttpResponse<String> wrongMethod = s.send(HttpRequest.newBuilder(s.uri("/api/info"))
        .header("Authorization", "Bearer " + s.adminToken).PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.body()).contains("method_not_allowed");

    HttpResponse<String> malformed = post("/api/tokens", s.adminToken, "{\"name\": ");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("malformed_json");

    HttpResponse<String> wrongType = post("/api/tokens", s.adminToken, "{\"name\": [1], \"role\": \"viewer\"}");
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(wrongType.body()).contains("invalid_body").contains("name");

    HttpResponse<String> badRole = post("/api/tokens", s.adminToken, "{\"name\": \"x\", \"role\": \"root\"}");
    assertThat(badRole.statusCode()).isEqualTo(400);
    assertThat(badRole.body()).contains("role must be one of viewer, operator, admin");

    HttpResponse<String> huge = post("/api/tokens", s.adminToken, "{\"name\":\"" + "x".repeat(10_000) + "\"}");
    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(huge.body()).contains("body_too_large");

    HttpResponse<String> badParam = s.get("/api/tokens?limit=abc", s.adminToken);
    assertThat(badParam.statusCode()).isEqualTo(400);
    assertThat(badParam.body()).contains("'limit'");
  }

  @Test
  void requestIdIsKeptWhenWellFormedAndMadeOtherwise() throws Exception {
    HttpResponse<String> kept = s.send(HttpRequest.newBuilder(s.uri("/api/health"))
        .header("X-Request-Id", "abc-123").build());
    assertThat(kept.headers().firstValue("X-Request-Id")).contains("abc-123");
    HttpResponse<String> replaced = s.send(HttpRequest.newBuilder(s.uri("/api/health"))
        .header("X-Request-Id", "bad id <script>").build());
    assertThat(replaced.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f-]{36}");
    assertThat(s.get("/nope", null).headers().firstValue("X-Request-Id")).isPresent();
  }

  @Test
  void gzipAboveOneKilobyteUnlessOptedOut() throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(s.uri("/api/openapi.json"))
        .header("Authorization", "Bearer " + s.adminToken).header("Accept-Encoding", "gzip");
    HttpResponse<byte[]> zipped = s.client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
    assertThat(zipped.headers().allValues("Vary").toString()).contains("Accept-Encoding");
    String text = new String(new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes(),
        StandardCharsets.UTF_8);
    assertThat(text).startsWith("{\"openapi\"");

    HttpResponse<byte[]> plain = s.client.send(b.header("x-no-compression", "1").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(new String(plain.body(), StandardCharsets.UTF_8)).isEqualTo(text);

    HttpResponse<byte[]> small = s.client.send(HttpRequest.newBuilder(s.uri("/api/health"))
        .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
  }

  @Test
  void strongEtagAnd304OnGet() throws Exception {
    HttpResponse<String> first = s.get("/api/openapi.json", s.adminToken);
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).startsWith("\"").endsWith("\"").doesNotStartWith("W/");
    HttpResponse<String> again = s.send(HttpRequest.newBuilder(s.uri("/api/openapi.json"))
        .header("Authorization", "Bearer " + s.adminToken).header("If-None-Match", etag).build());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    HttpResponse<String> other = s.send(HttpRequest.newBuilder(s.uri("/api/openapi.json"))
        .header("Authorization", "Bearer " + s.adminToken).header("If-None-Match", "\"other\"").build());
    assertThat(other.statusCode()).isEqualTo(200);
  }

  @Test
  void securityHeadersAndNoCors() throws Exception {
    HttpResponse<String> r = s.get("/api/health", null);
    assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
    assertThat(r.headers().firstValue("Server")).isEmpty();
    HttpResponse<String> preflight = s.send(HttpRequest.newBuilder(s.uri("/api/info"))
        .header("Origin", "http://evil.example").header("Access-Control-Request-Method", "GET")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void tokensCreatedListedAndRevokedOverTheApi() throws Exception {
    String viewer = s.token(Role.VIEWER);
    assertThat(s.get("/api/info", viewer).statusCode()).isEqualTo(200);
    HttpResponse<String> list = s.get("/api/tokens", s.adminToken);
    assertThat(list.body()).contains("\"role\":\"viewer\"").doesNotContain(viewer);
    String created = post("/api/tokens", s.adminToken, "{\"name\":\"short lived\",\"role\":\"viewer\"}").body();
    String token = dev.vigil.server.http.Json.MAPPER.readTree(created).get("token").asText();
    String id = dev.vigil.server.http.Json.MAPPER.readTree(created).path("info").path("id").asText();
    assertThat(s.get("/api/info", token).statusCode()).isEqualTo(200);
    HttpResponse<String> revoked = s.send(HttpRequest.newBuilder(s.uri("/api/tokens/" + id))
        .header("Authorization", "Bearer " + s.adminToken).DELETE().build());
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(s.get("/api/info", token).statusCode()).isEqualTo(401);
  }

  @Test
  void prometheusMetricsNeedAViewerAndUseBaseUnits() throws Exception {
    assertThat(s.get("/metrics", null).statusCode()).isEqualTo(401);
    s.get("/api/info", s.adminToken);
    HttpResponse<String> r = s.get("/metrics", s.token(Role.VIEWER));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(r.body()).contains("jvm_memory_used_bytes").contains("process_uptime_seconds")
        .contains("http_server_requests_seconds_count{method=\"GET\",route=\"/api/info\",status=\"200\"}")
        .contains("jvm_threads_live_threads");
  }

  @Test
  void latencyHistogramHasEveryDocumentedBucketAndRawPathsNeverBecomeLabels() throws Exception {
    String viewer = s.token(Role.VIEWER);
    assertThat(s.get("/api/info", viewer).statusCode()).isEqualTo(200);
    s.get("/metrics", viewer); // a scrape is timed after it answered: the next one lists /metrics
    Set<String> before = routeLabels(s.get("/metrics", viewer).body());
    // unknown paths, known and unknown callers: each a distinct raw path
    for (int i = 0; i < 25; i++) {
      assertThat(s.get("/api/nope/" + (12345 + i), s.adminToken).statusCode()).isEqualTo(404);
      assertThat(s.get("/api/nope/" + (22345 + i), null).statusCode()).isIn(401, 404);
      s.get("/nope-" + i + "/deeper?x=" + i, viewer);
    }
    String body = s.get("/metrics", viewer).body();
    List<String> buckets = body.lines()
        .filter(l -> l.startsWith("http_server_requests_seconds_bucket{") && l.contains("route=\"/api/info\"")
            && l.contains("method=\"GET\"") && l.contains("status=\"200\""))
        .map(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1")).toList();
    assertThat(buckets).as("the bucket boundaries of /api/info, in seconds")
        .containsExactly("0.005", "0.01", "0.025", "0.05", "0.1", "0.2", "0.5", "1.0", "2.0", "5.0", "+Inf");
    Set<String> after = routeLabels(body);
    assertThat(body).doesNotContain("12345", "22345", "/api/nope", "nope-");
    after.removeAll(before);
    assertThat(after).as("route labels 75 unknown paths added").isSubsetOf("unmatched");
  }

  /** The distinct {@code route} label values of the request histogram in a scrape. */
  private static Set<String> routeLabels(String scrape) {
    Pattern route = Pattern.compile("route=\"([^\"]*)\"");
    return scrape.lines().filter(l -> l.startsWith("http_server_requests_seconds"))
        .flatMap(l -> route.matcher(l).results().map(m -> m.group(1))).collect(Collectors.toSet());
  }
}
