package dev.vigil.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.alert.queue.Job;
import dev.vigil.alert.queue.MutableClock;
import dev.vigil.core.store.StateStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Prometheus Alertmanager (Debian's, started here on a free port) lists Vigil's alert, then sees it resolved. */
class AlertmanagerPeerTest {
  static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
  @TempDir Path dir;

  @Test
  void alertmanagerListsTheAlertWithItsLabelsThenSeesItResolved() throws Exception {
    if (!Files.isExecutable(BINARY)) {
      String message = BINARY + " is missing; install the Debian package prometheus-alertmanager";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(message);
      }
      Assumptions.abort(message);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path conf = dir.resolve("alertmanager.yml");
    Files.writeString(conf, """
        route: {receiver: blackhole, group_wait: 1s}
        receivers: [{name: blackhole}]
        """);
    Process am = new ProcessBuilder(BINARY.toString(), "--config.file=" + conf, "--storage.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
        .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    String base = "http://127.0.0.1:" + port;
    try {
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
              HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
      MutableClock clock = new MutableClock(Instant.now().minusSeconds(60));
      String yaml = """
          builtin: {enabled: false}
          receivers: {am: {type: alertmanager, url: "%s"}}
          route: {receiver: am, group_wait: 0s, group_interval: 10s}
          rules:
            - {name: VigilDiskFull, metric: disk_percent, op: ">", threshold: 95, severity: critical, labels: {host: erp1}, summary: "Disk {{ value }}%% full"}
          """.formatted(base);
      Fixtures.Values values = new Fixtures.Values();
      try (StateStore store = StateStore.open(null, dir);
          AlertEngine engine = new AlertEngine(Fixtures.config(yaml, Map.of()), store, values, clock)) {
        values.set("disk_percent", 99);
        clock.advance(Duration.ofSeconds(1));
        engine.evaluate();
        assertThat(engine.deliverDue("am")).isEqualTo(1);
        JsonNode listed = list(http, json, base);
        assertThat(listed).hasSize(1);
        JsonNode a = listed.get(0);
        assertThat(a.path("labels").path("alertname").asText()).isEqualTo("VigilDiskFull");
        assertThat(a.path("labels").path("severity").asText()).isEqualTo("critical");
        assertThat(a.path("labels").path("host").asText()).isEqualTo("erp1");
        assertThat(a.path("annotations").path("summary").asText()).isEqualTo("Disk 99% full");
        assertThat(a.path("status").path("state").asText()).isEqualTo("active");

        values.set("disk_percent", 40);
        clock.advance(Duration.ofSeconds(11));
        engine.evaluate();
        assertThat(engine.deliverDue("am")).isEqualTo(1);
        assertThat(engine.queue().counts()).containsEntry(Job.DONE, 2L);
        // resolved alerts leave Alertmanager's active list
        await().atMost(Duration.ofSeconds(10)).until(() -> list(http, json, base).isEmpty());
      }
    } finally {
      am.destroy();
      if (!am.waitFor(10, TimeUnit.SECONDS)) {
        am.destroyForcibly();
      }
    }
  }

  private static JsonNode list(HttpClient http, ObjectMapper json, String base) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v2/alerts")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return json.readTree(r.body());
  }
}
