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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/stream}: monitoring samples as Server-Sent Events, bounded in time, ended by shutdown. */
class StreamApiTest {
  @TempDir
  Path dir;

  private static HttpResponse<String> stream(TestServer s, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(path)).header("Accept", "text/event-stream");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return s.send(b.build());
  }

  private TestServer monitored(Path d) {
    return TestServer.start(d, Map.of("ENABLE_MONITORING", "true", "MONITORING_INTERVAL", "200ms"));
  }

  @Test
  void streamsEachNewSampleUntilMaxSeconds() throws Exception {
    try (TestServer s = monitored(dir)) {
      HttpResponse<String> r = stream(s, "/api/stream?max_seconds=2", s.token(Role.VIEWER));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
      assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
      List<JsonNode> samples = new ArrayList<>();
      for (String block : r.body().split("\n\n")) {
        if (block.contains("event: sample")) {
          String data = block.lines().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow().substring(6);
          samples.add(Json.MAPPER.readTree(data));
        }
      }
      assertThat(samples).hasSizeGreaterThanOrEqualTo(3);
      JsonNode first = samples.get(0);
      assertThat(first.path("metrics").path("cpu_percent").isNumber()).isTrue();
      assertThat(first.path("health").path("status").asText()).isIn("healthy", "warning", "critical");
      assertThat(samples).extracting(n -> n.path("metrics").path("timestamp").asText()).doesNotHaveDuplicates();
    }
  }

  @Test
  void answers409WhenMonitoringIsOffAnd401WithoutAToken() throws Exception {
    try (TestServer s = TestServer.start(dir)) {
      HttpResponse<String> off = stream(s, "/api/stream", s.token(Role.VIEWER));
      assertThat(off.statusCode()).isEqualTo(409);
      assertThat(off.body()).contains("not_enabled").contains("ENABLE_MONITORING");
      assertThat(stream(s, "/api/stream", null).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void rejectsABadMaxSeconds() throws Exception {
    try (TestServer s = monitored(dir)) {
      for (String bad : List.of("0", "abc", "3601", "-5")) {
        HttpResponse<String> r = stream(s, "/api/stream?max_seconds=" + bad, s.adminToken);
        assertThat(r.statusCode()).as(bad).isEqualTo(400);
        assertThat(r.body()).contains("max_seconds");
      }
    }
  }

  @Test
  void aClientThatDoesNotAcceptEventStreamsGets406AtOnce() throws Exception {
    try (TestServer s = monitored(dir)) {
      HttpResponse<String> r = s.get("/api/stream", s.token(Role.VIEWER));
      assertThat(r.statusCode()).isEqualTo(406);
      assertThat(r.body()).contains("not_acceptable").contains("text/event-stream");
    }
  }

  @Test
  void stoppingTheServerEndsOpenStreams() throws Exception {
    TestServer s = monitored(dir);
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<HttpResponse<Stream<String>>> open = s.client.sendAsync(
        HttpRequest.newBuilder(s.uri("/api/stream?max_seconds=3600")).header("Authorization", "Bearer " + s.adminToken)
            .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
    CompletableFuture<Void> read = open.thenAccept(r -> r.body().forEach(lines::add));
    await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.startsWith("event: sample")));
    CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
      try {
        s.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(read::isDone);
    await().atMost(Duration.ofSeconds(5)).until(closing::isDone);
    closing.join();
  }
}
