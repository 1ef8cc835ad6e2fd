package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Json;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/monitoring/*} and {@code /metrics} of a real server sampling this host every 200 ms. */
class MonitoringApiTest {
  static final Map<String, String> MONITORING_ON = Map.of("ENABLE_MONITORING", "true", "MONITORING_INTERVAL", "200ms",
      "VIGIL_MONITORING_HISTORY", "1m");

  @TempDir
  static Path dir;
  static TestServer s;
  static String viewer;

  @BeforeAll
  static void start() throws Exception {
    s = TestServer.start(dir, MONITORING_ON);
    viewer = s.token(Role.VIEWER);
  }

  @AfterAll
  static void stop() throws Exception {
    s.close();
  }

  @Test
  void commandLinesAreShownToAdminsOnly() throws Exception {
    String path = "/api/monitoring/processes?top=100&sort=memory";
    JsonNode forViewer = ok(path).get("processes");
    forViewer.forEach(p -> assertThat(p.get("command").asText()).matches("\\S+( …)?"));
    HttpResponse<String> r = s.get(path, s.adminToken);
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> commands = new ArrayList<>();
    Json.MAPPER.readTree(r.body()).get("processes").forEach(p -> commands.add(p.get("command").asText()));
    assertThat(commands).anySatisfy(c -> assertThat(c).contains(" ").doesNotEndWith(" …"));
  }

  static JsonNode ok(String path) throws Exception {
    HttpResponse<String> r = s.get(path, viewer);
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  static List<String> keys(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  @Test
  void healthMetricsSummaryAndProcessesHaveTheSeedsShapes() throws Exception {
    JsonNode health = ok("/api/monitoring/health");
    assertThat(keys(health)).startsWith("status", "timestamp", "metrics", "warnings");
    assertThat(health.get("status").asText()).isIn("healthy", "warning", "critical");
    assertThat(keys(health.get("metrics"))).containsExactly("cpu_percent", "ram_percent", "disk_percent");
    assertThat(health.get("warnings").isArray()).isTrue();

    JsonNode metrics = ok("/api/monitoring/metrics");
    assertThat(keys(metrics).subList(0, 11)).containsExactly("timestamp", "cpu_percent", "cpu_count", "ram_total_gb",
        "ram_used_gb", "ram_available_gb", "ram_percent", "disk_total_gb", "disk_used_gb", "disk_free_gb",
        "disk_percent");
    assertThat(metrics.get("cpu_count").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(metrics.get("ram_total_gb").asDouble()).isPositive();

    JsonNode summary = ok("/api/monitoring/summary?last=5");
    assertThat(keys(summary)).contains("period", "cpu", "ram", "disk");
    assertThat(summary.get("period").asText()).matches("Last \\d+ readings?");
    assertThat(keys(summary.get("cpu"))).containsExactly("avg", "min", "max", "current");

    JsonNode processes = ok("/api/monitoring/processes?top=3&sort=memory");
    assertThat(processes.get("processes").size()).isBetween(1, 3);
    JsonNode first = processes.get("processes").get(0);
    assertThat(keys(first)).startsWith("pid", "name", "cpu_percent", "memory_mb", "memory_percent", "status");
    double biggest = first.get("memory_mb").asDouble();
    processes.get("processes").forEach(p -> assertThat(p.get("memory_mb").asDouble()).isLessThanOrEqualTo(biggest));
    assertThat(ok("/api/monitoring/processes").get("processes").size()).isBetween(1, 10);
  }

  @Test
  void historySummaryTrendsFillWhileSamplingAndSamplesReachListeners() throws Exception {
    CountDownLatch three = new CountDownLatch(3);
    s.server.monitor().orElseThrow().addListener(sample -> three.countDown());
    assertThat(three.await(30, TimeUnit.SECONDS)).as("three samples told to a listener").isTrue();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(ok("/api/monitoring/summary?last=60").get("readings").asInt()).isGreaterThanOrEqualTo(3);
      JsonNode history = ok("/api/monitoring/history?metric=ram_percent&step=1");
      assertThat(history.get("tier").asText()).isEqualTo("raw");
      assertThat(history.get("points").size()).isGreaterThanOrEqualTo(2);
    });
    JsonNode point = ok("/api/monitoring/history?metric=cpu_percent&step=1s").get("points").get(0);
    assertThat(keys(point)).containsExactly("time", "min", "avg", "max", "count");
    String from = Instant.now().minus(Duration.ofMinutes(10)).toString();
    JsonNode minutes = ok("/api/monitoring/history?metric=cpu_percent&step=60&from=" + from);
    assertThat(minutes.get("tier").asText()).isEqualTo("1m");

    JsonNode trends = ok("/api/monitoring/trends?window=1h");
    assertThat(trends.get("window_seconds").asLong()).isEqualTo(3600);
    assertThat(trends.get("trends").findValuesAsText("metric")).contains("cpu_percent", "ram_percent");
    JsonNode anomalies = ok("/api/monitoring/anomalies?limit=5");
    assertThat(keys(anomalies)).contains("anomalies", "next_cursor", "total");
    String disk = URLEncoder.encode("disk_percent:/", StandardCharsets.UTF_8);
    assertThat(ok("/api/monitoring/history?metric=" + disk).get("metric").asText()).isEqualTo("disk_percent:/");
  }

  @Test
  void performanceShowsEveryRouteWithCountErrorsAndPercentiles() throws Exception {
    ok("/api/monitoring/health");
    ok("/api/monitoring/health");
    s.get("/api/monitoring/processes?top=0", viewer);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonNode perf = ok("/api/monitoring/performance");
      assertThat(perf.get("requests").get("count").asLong()).isGreaterThanOrEqualTo(3);
      JsonNode health = route(perf, "GET /api/monitoring/health");
      assertThat(health.get("count").asLong()).isGreaterThanOrEqualTo(2);
      assertThat(keys(health)).contains("errors", "error_rate", "p50_ms", "p95_ms", "p99_ms");
      assertThat(route(perf, "GET /api/monitoring/processes").get("count").asLong()).isGreaterThanOrEqualTo(1);
      assertThat(keys(perf.get("application"))).contains("queries", "operations");
    });
  }

  static JsonNode route(JsonNode perf, String name) {
    for (JsonNode r : perf.get("routes")) {
      if (r.get("name").asText().equals(name)) {
        return r;
      }
    }
    throw new AssertionError(name + " not in " + perf.get("routes"));
  }

  @Test
  void badParametersAreA400NamingThem() throws Exception {
    Map<String, String> cases = Map.ofEntries(
        Map.entry("/api/monitoring/processes?top=0", "'top'"),
        Map.entry("/api/monitoring/processes?top=101", "'top'"),
        Map.entry("/api/monitoring/processes?top=ten", "'top'"),
        Map.entry("/api/monitoring/processes?sort=disk", "'sort'"),
        Map.entry("/api/monitoring/summary?last=0", "'last'"),
        Map.entry("/api/monitoring/summary?last=100000", "'last'"),
        Map.entry("/api/monitoring/history?metric=nope", "'metric'"),
        Map.entry("/api/monitoring/history?step=0", "'step'"),
        Map.entry("/api/monitoring/history?from=yesterday", "'from'"),
        Map.entry("/api/monitoring/history?from=2030-01-01T00:00:00Z&to=2029-01-01T00:00:00Z", "'from'"),
        Map.entry("/api/monitoring/history?step=1&from=2020-01-01T00:00:00Z", "step"),
        Map.entry("/api/monitoring/trends?window=10s", "'window'"),
        Map.entry("/api/monitoring/anomalies?metric=nope", "'metric'"),
        Map.entry("/api/monitoring/anomalies?limit=0", "'limit'"));
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> r = s.get(c.getKey(), viewer);
      assertThat(r.statusCode()).as(c.getKey() + " -> " + r.body()).isEqualTo(400);
      assertThat(Json.MAPPER.readTree(r.body()).path("error").path("message").asText()).as(c.getKey())
          .contains(c.getValue());
    }
    // 'last' is bounded by the ring: 1 minute at 200 ms = 300 readings
    assertThat(s.get("/api/monitoring/summary?last=300", viewer).statusCode()).isEqualTo(200);
    assertThat(s.get("/api/monitoring/summary?last=301", viewer).body()).contains("from 1 to 300");
  }

  @Test
  void hostileParametersNeverCauseA5xx() throws Exception {
    List<String> values = List.of("", "-1", "0", "999999999999", "-1000000000-01-01T00:00:00Z",
        "+1000000000-12-31T23:59:59Z", "9223372036854775807", "1e9", "%00", "%E2%80%AE", "cpu%27%3B--", "a".repeat(400),
        "disk_percent%3A", "disk_percent%3A%2F..%2F..", "99999999d", "1ms");
    List<String> failures = new ArrayList<>();
    for (String route : List.of("summary?last=", "processes?top=", "processes?sort=", "history?metric=",
        "history?from=", "history?to=", "history?step=", "history?step=1&from=", "trends?window=", "anomalies?from=",
        "anomalies?to=", "anomalies?metric=", "anomalies?cursor=")) {
      for (String v : values) {
        HttpResponse<String> r = s.get("/api/monitoring/" + route + v, viewer);
        if (r.statusCode() >= 500 || (r.statusCode() != 200 && r.statusCode() != 400)) {
          failures.add(route + v + " -> " + r.statusCode() + " " + r.body());
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void prometheusHasHostProcessJvmAndHttpMetricsInPrometheusNaming() throws Exception {
    ok("/api/monitoring/health");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      HttpResponse<String> r = s.get("/metrics", viewer);
      assertThat(r.statusCode()).isEqualTo(200);
      String text = r.body();
      assertThat(text).contains("host_cpu_usage ", "host_cpus ", "host_memory_total_bytes ",
          "host_memory_usage ", "host_processes ", "host_uptime_seconds ", "host_filesystem_size_bytes{",
          "host_load_average{window=\"1m\"}", "vigil_monitor_anomalies_total ",
          "jvm_memory_used_bytes{", "http_server_requests_seconds_count{", "route=\"/api/monitoring/health\"");
      double cpu = value(text, "host_cpu_usage ");
      assertThat(cpu).isBetween(0.0, 1.0);
      assertThat(value(text, "host_memory_usage ")).isBetween(0.0, 1.0);
      assertThat(value(text, "host_processes ")).isGreaterThan(1);
    });
    assertThat(s.get("/metrics", null).statusCode()).isEqualTo(401);
  }

  static double value(String exposition, String prefix) {
    return exposition.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(
        l.substring(prefix.length()).trim().split(" ")[0])).findFirst().orElseThrow();
  }

  @Test
  void minuteRollUpsSurviveARestartOfTheServer(@TempDir Path other) throws Exception {
    Instant before;
    try (TestServer first = TestServer.start(other, MONITORING_ON)) {
      before = Instant.now();
      CountDownLatch two = new CountDownLatch(2);
      first.server.monitor().orElseThrow().addListener(sample -> two.countDown());
      assertThat(two.await(30, TimeUnit.SECONDS)).isTrue();
    }
    try (TestServer second = TestServer.start(other, Map.of("ENABLE_MONITORING", "true",
        "MONITORING_INTERVAL", "1h"))) {
      String from = before.minus(Duration.ofMinutes(2)).toString();
      HttpResponse<String> r = second.get("/api/monitoring/history?metric=ram_percent&step=60&from=" + from,
          second.adminToken);
      JsonNode history = Json.MAPPER.readTree(r.body());
      assertThat(history.get("tier").asText()).isEqualTo("1m");
      long persisted = 0;
      for (JsonNode p : history.get("points")) {
        persisted += p.get("count").asLong();
      }
      // the first server's samples (at least two) plus the second's first sample
      assertThat(persisted).as(r.body()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void cliStatusMetricsAndProcessesInEachFormat() throws Exception {
    String server = "http://127.0.0.1:" + s.server.port();
    CliTest.Result status = CliTest.run("status", "--server", server, "--token", viewer);
    assertThat(status.out()).contains("STATUS", "CPU", "RAM", "DISK");
    assertThat(status.code()).isEqualTo(ok("/api/monitoring/health").get("status").asText().equals("critical") ? 1 : 0);
    CliTest.Result statusJson = CliTest.run("status", "--server", server, "--token", viewer, "--format", "json");
    assertThat(keys(Json.MAPPER.readTree(statusJson.out()))).contains("status", "metrics", "warnings");
    assertThat(CliTest.run("status", "--server", server, "--token", viewer, "--format", "summary").out())
        .matches("(?s)(healthy|warning|critical): cpu .*% ram .*% disk .*%.*");

    CliTest.Result metrics = CliTest.run("metrics", "--server", server, "--token", viewer);
    assertThat(metrics.code()).isZero();
    assertThat(metrics.out()).contains("METRIC", "cpu_count", "ram_total_gb", "disk_percent");
    assertThat(Json.MAPPER.readTree(CliTest.run("metrics", "--server", server, "--token", viewer, "--format", "json")
        .out()).get("cpu_count").asInt()).isPositive();
    assertThat(CliTest.run("metrics", "--server", server, "--token", viewer, "--format", "summary").out())
        .startsWith("cpu ").contains(" cores, ram ");

    CliTest.Result top = CliTest.run("processes", "--top", "3", "--sort", "memory", "--server", server,
        "--token", viewer);
    assertThat(top.code()).isZero();
    assertThat(top.lines().get(0)).startsWith("PID").contains("NAME", "MEM_MB", "STATUS");
    assertThat(top.lines()).hasSizeBetween(2, 4);
    JsonNode json = Json.MAPPER.readTree(CliTest.run("processes", "--top", "2", "--format", "json", "--server", server,
        "--token", viewer).out());
    assertThat(json.get("processes").size()).isBetween(1, 2);
    assertThat(CliTest.run("processes", "--format", "summary", "--server", server, "--token", viewer).out())
        .contains("processes; top by cpu: ");

    CliTest.Result badTop = CliTest.run("processes", "--top", "0", "--server", server, "--token", viewer);
    assertThat(badTop.code()).isEqualTo(1);
    assertThat(badTop.err()).contains("'top'");
    CliTest.Result badSort = CliTest.run("processes", "--sort", "disk", "--server", server, "--token", viewer);
    assertThat(badSort.code()).isEqualTo(1);
    assertThat(badSort.err()).contains("--sort must be cpu or memory");
    CliTest.Result noToken = CliTest.run("status", "--server", server, "--token", "vgl_aaaaaaaaaa_" + "A".repeat(43));
    assertThat(noToken.code()).isEqualTo(1);
    assertThat(noToken.err()).contains("pass a token").doesNotContain("AAAAAAAA");
  }

  @Test
  void everyMonitoringRouteNeedsAViewerTokenAndAnswersIt() throws Exception {
    List<String> paths = s.server.api().routes().stream().map(r -> r.path())
        .filter(p -> p.startsWith("/api/monitoring/") || p.equals("/metrics")).toList();
    assertThat(paths).hasSizeGreaterThanOrEqualTo(9);
    for (String path : paths) {
      assertThat(s.get(path, null).statusCode()).as(path).isEqualTo(401);
      for (Role role : Role.values()) {
        assertThat(s.get(path, s.token(role)).statusCode()).as(path + " as " + role).isEqualTo(200);
      }
    }
  }

  @Test
  void aServerWithMonitoringOffAnswers409NotEnabled(@TempDir Path other) throws Exception {
    try (TestServer off = TestServer.start(other)) {
      assertThat(off.server.monitor()).isEmpty();
      for (String path : List.of("/api/monitoring/health", "/api/monitoring/metrics", "/api/monitoring/summary",
          "/api/monitoring/processes", "/api/monitoring/history", "/api/monitoring/trends",
          "/api/monitoring/anomalies", "/api/monitoring/performance")) {
        HttpResponse<String> r = off.get(path, off.adminToken);
        assertThat(r.statusCode()).as(path).isEqualTo(409);
        assertThat(Json.MAPPER.readTree(r.body()).path("error").path("code").asText()).isEqualTo("not_enabled");
      }
    }
  }
}
