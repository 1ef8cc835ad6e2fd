package dev.vigil.server.metrics;

import static dev.vigil.server.metrics.PromTools.CONTRIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.alert.rule.BuiltInRules;
import dev.vigil.alert.rule.Rule;
import dev.vigil.server.TestServer;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Json;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Vigil (monitoring on, a SQLite database backed up once) scraped by a real {@code prometheus}
 * running the shipped scrape config and rule files with a 1 s interval; its HTTP API must answer the
 * request-latency quantile and the backup series. {@code promtool check metrics} accepts {@code /metrics},
 * and every built-in alert rule watches a metric the server publishes.
 */
class PrometheusScrapeTest {
  @TempDir
  static Path dir;
  static TestServer s;
  static Process prometheus;
  static int promPort;

  @BeforeAll
  static void start() throws Exception {
    PromTools.require(PromTools.PROMETHEUS);
    PromTools.require(PromTools.PROMTOOL);
    Path db = dir.resolve("shop.db").toAbsolutePath();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)");
      st.execute("INSERT INTO orders (total) VALUES (9.5), (12.25)");
    }
    s = TestServer.start(dir.resolve("vigil"), Map.of("ENABLE_MONITORING", "true", "MONITORING_INTERVAL", "1s",
        "DATABASE_URL", "sqlite://" + db, "BACKUP_DIR", dir.resolve("backups").toString()));
    HttpResponse<String> backup = s.send(HttpRequest.newBuilder(s.uri("/api/backup/create"))
        .header("Authorization", "Bearer " + s.adminToken).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertThat(backup.statusCode()).as(backup.body()).isEqualTo(200);
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
    if (s != null) {
      s.close();
    }
  }

  @Test
  void metricsPassPromtoolCheckMetrics() throws Exception {
    HttpResponse<String> r = s.get("/metrics", s.token(Role.VIEWER));
    assertThat(r.statusCode()).isEqualTo(200);
    Path text = dir.resolve("metrics.txt");
    Files.writeString(text, r.body());
    PromTools.promtool(dir, text, "check", "metrics");
    assertThat(r.body()).contains("host_cpus ", "system_cpus ", "process_cpu_seconds_total ",
        "http_server_requests_seconds_bucket{", "le=\"0.2\"", "vigil_audit_chain_intact 1.0",
        "vigil_backup_last_success_timestamp_seconds{database=\"default\"}", "vigil_backup_size_bytes{database=\"default\"}",
        "vigil_backup_last_verify_success{database=\"default\"} 1.0", "vigil_backup_failures_total{database=\"default\"} 0.0",
        "vigil_cache_hit_ratio{cache=\"vigil\",level=\"l1\"}")
        .doesNotContain("host_cpu_count", "system_cpu_count", "process_cpu_time_ns_total");
  }

  @Test
  void everyBuiltInAlertRuleWatchesAMetricThisServerPublishes() throws Exception {
    String viewer = s.token(Role.VIEWER);
    String metrics = s.get("/metrics", viewer).body();
    JsonNode sample = Json.MAPPER.readTree(s.get("/api/monitoring/metrics", viewer).body());
    // what the alert source derives over a window, by the series it derives them from
    Map<String, String> derived = Map.of("vigil_http_error_ratio", "http_server_requests_seconds_count",
        "vigil_http_p95_seconds", "http_server_requests_seconds_bucket", "vigil_cache_hit_ratio", "vigil_cache_gets_total");
    for (Rule rule : BuiltInRules.all()) {
      String metric = rule.metric();
      if (metric.matches("(cpu|ram|disk)_percent")) {
        assertThat(sample.path(metric).isNumber()).as(rule.name() + " reads the monitoring sample's " + metric).isTrue();
        continue;
      }
      String published = derived.getOrDefault(metric, metric);
      assertThat(metrics.lines().anyMatch(l -> l.startsWith(published + "{") || l.startsWith(published + " ")))
          .as(rule.name() + " watches " + metric + ", which needs " + published + " on /metrics").isTrue();
    }
  }

  @Test
  void prometheusScrapesVigilAndAnswersQuantileAndBackupQueries() throws Exception {
    Path token = dir.resolve("prometheus.token");
    Files.writeString(token, s.token(Role.VIEWER));
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    Path conf = dir.resolve("prom");
    Files.createDirectories(conf);
    for (String f : List.of("vigil-recording.rules.yml", "vigil-alerting.rules.yml")) {
      Files.copy(CONTRIB.resolve(f), conf.resolve(f));
    }
    // the shipped config, pointed at this server and sped up to a 1 s scrape
    Files.writeString(conf.resolve("prometheus.yml"), Files.readString(CONTRIB.resolve("prometheus.yml"))
        .replace("scrape_interval: 15s", "scrape_interval: 1s").replace("evaluation_interval: 15s", "evaluation_interval: 1s")
        .replace("interval: 30s", "interval: 1s")
        .replace("/etc/prometheus/vigil.token", token.toString())
        .replace("127.0.0.1:8080", "127.0.0.1:" + s.server.port()));
    Files.writeString(conf.resolve("vigil-recording.rules.yml"),
        Files.readString(conf.resolve("vigil-recording.rules.yml")).replace("interval: 30s", "interval: 1s"));
    promPort = PromTools.freePort();
    prometheus = new ProcessBuilder(PromTools.PROMETHEUS.toString(), "--config.file=" + conf.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + promPort,
        "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();

    String viewer = s.token(Role.VIEWER);
    AtomicReference<JsonNode> quantile = new AtomicReference<>();
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
      for (int i = 0; i < 20; i++) { // traffic for Prometheus to scrape
        s.get("/api/monitoring/health", viewer);
      }
      quantile.set(query("histogram_quantile(0.95, sum by (le) (rate(http_server_requests_seconds_bucket"
          + "{route=\"/api/monitoring/health\"}[10s])))"));
      return quantile.get() != null && quantile.get().size() == 1;
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no p95 from Prometheus; its log: " + log(), e);
    }
    double p95 = quantile.get().get(0).path("value").get(1).asDouble();
    assertThat(p95).isGreaterThan(0).isLessThanOrEqualTo(5.0);

    JsonNode backup = query("vigil_backup_last_success_timestamp_seconds{database=\"default\"}");
    assertThat(backup).hasSize(1);
    double at = backup.get(0).path("value").get(1).asDouble();
    assertThat(at).isBetween(System.currentTimeMillis() / 1000.0 - 600, System.currentTimeMillis() / 1000.0 + 1);
    assertThat(backup.get(0).path("metric").path("job").asText()).isEqualTo("vigil");

    // the shipped recording rules evaluate over the live series
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      assertThat(query("database:vigil_backup_age_seconds{database=\"default\"}")).hasSize(1);
      assertThat(query("vigil_audit_chain_intact")).hasSize(1);
    });
    // and no alert of the shipped rules fires on a healthy server
    JsonNode alerts = Json.MAPPER.readTree(get("/api/v1/alerts")).path("data").path("alerts");
    assertThat(alerts).as("firing alerts").noneMatch(a -> a.path("labels").path("alertname").asText()
        .matches("VigilBackup.*|VigilAudit.*"));
  }

  private static JsonNode query(String promql) throws Exception {
    String body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (body == null) {
      return null;
    }
    JsonNode n = Json.MAPPER.readTree(body);
    assertThat(n.path("status").asText()).as(body).isEqualTo("success");
    return n.path("data").path("result");
  }

  private static String get(String path) throws Exception {
    try {
      HttpResponse<String> r = s.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + promPort
          + path)).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (ConnectException e) {
      return null; // still starting
    }
  }

  private static String log() throws Exception {
    return Files.readString(dir.resolve("prometheus.log"));
  }
}
