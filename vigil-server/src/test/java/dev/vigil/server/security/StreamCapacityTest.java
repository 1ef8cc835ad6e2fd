package dev.vigil.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.logging.LogFiles;
import dev.vigil.server.TestServer;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Json;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event streams hold no request thread: 2,000 open streams leave {@code /api/health} fast and the
 * server's thread pool small; streams are capped per token and in all; their request records carry the
 * client address and are not flagged slow.
 */
class StreamCapacityTest {
  private static final int STREAMS = 2000;

  @TempDir
  Path dir;

  private static HttpRequest stream(TestServer s, String token, int seconds) {
    return HttpRequest.newBuilder(s.uri("/api/stream?max_seconds=" + seconds)).header("Accept", "text/event-stream")
        .header("Authorization", "Bearer " + token).build();
  }

  private static int busyJettyThreads(TestServer s) {
    return ((QueuedThreadPool) s.server.http().javalin().jettyServer().server().getThreadPool()).getBusyThreads();
  }

  @Test
  void twoThousandOpenStreamsLeaveTheApiFastAndThreadsBounded() throws Exception {
    ExecutorService clientThreads = Executors.newFixedThreadPool(4);
    try (TestServer s = TestServer.start(dir, Map.of("ENABLE_MONITORING", "true", "MONITORING_INTERVAL", "2s",
        "VIGIL_SERVER_STREAM_MAX_TOTAL", Integer.toString(STREAMS),
        "VIGIL_SERVER_STREAM_MAX_PER_TOKEN", Integer.toString(STREAMS - 10), "LOG_JSON", "true"))) {
      String viewer = s.token(Role.VIEWER);
      String operator = s.token(Role.OPERATOR);
      HttpClient streams = HttpClient.newBuilder().executor(clientThreads).connectTimeout(Duration.ofSeconds(20))
          .build();
      List<CompletableFuture<HttpResponse<InputStream>>> open = new ArrayList<>();
      for (int i = 0; i < STREAMS; i++) {
        String token = i < STREAMS - 10 ? viewer : operator;
        open.add(streams.sendAsync(stream(s, token, 120), HttpResponse.BodyHandlers.ofInputStream()));
        if (i % 200 == 199) {
          CompletableFuture.allOf(open.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
      }
      CompletableFuture.allOf(open.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertThat(open).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));

      // beyond the caps: 429 naming the cap, for the token and for the server
      HttpResponse<String> perToken = s.send(HttpRequest.newBuilder(s.uri("/api/stream"))
          .header("Accept", "text/event-stream").header("Authorization", "Bearer " + viewer).build());
      assertThat(perToken.statusCode()).isEqualTo(429);
      assertThat(perToken.body()).contains("too_many_streams").contains("max_per_token");
      HttpResponse<String> total = s.send(HttpRequest.newBuilder(s.uri("/api/stream"))
          .header("Accept", "text/event-stream").header("Authorization", "Bearer " + s.adminToken).build());
      assertThat(total.statusCode()).isEqualTo(429);
      assertThat(total.body()).contains("max_total");

      // the API stays fast while every stream is open and receives samples
      for (int i = 0; i < 50; i++) {
        s.get("/api/health", null);
      }
      int busy = busyJettyThreads(s);
      // up to three rounds of 300 requests: the machine is shared, so one round may measure a neighbour's burst
      List<Long> p99s = new ArrayList<>();
      for (int round = 0; round < 3 && (p99s.isEmpty() || p99s.get(p99s.size() - 1) >= 50); round++) {
        long[] ms = new long[300];
        for (int i = 0; i < ms.length; i++) {
          long t0 = System.nanoTime();
          assertThat(s.get("/api/health", null).statusCode()).isEqualTo(200);
          ms[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        Arrays.sort(ms);
        p99s.add(ms[(int) Math.ceil(ms.length * 0.99) - 1]);
        System.out.println("BENCH-INFO stream-capacity: " + STREAMS + " open streams, /api/health p50=" + ms[150]
            + "ms p99=" + p99s.get(p99s.size() - 1) + "ms, busy jetty threads=" + busy);
      }
      assertThat(p99s.get(p99s.size() - 1)).as("/api/health p99 in ms with %d open streams (rounds %s)", STREAMS, p99s)
          .isLessThan(50);
      assertThat(busy).as("busy Jetty threads with %d open streams", STREAMS).isLessThan(20);

      // the streams do carry samples
      InputStream one = open.get(0).join().body();
      byte[] buf = new byte[8192];
      StringBuilder got = new StringBuilder();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!got.toString().contains("event: sample") && System.nanoTime() < until) {
        int n = one.read(buf);
        if (n < 0) {
          break;
        }
        got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
      assertThat(got.toString()).contains("retry: 3000").contains("event: sample");
      for (CompletableFuture<HttpResponse<InputStream>> f : open) {
        f.join().body().close();
      }
    } finally {
      clientThreads.shutdownNow();
    }
  }

  @Test
  void aThousandSlowClientsDoNotStarveTheApi() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try (TestServer s = TestServer.start(dir)) {
      for (int i = 0; i < 1000; i++) {
        Socket socket = new Socket("127.0.0.1", s.server.port());
        socket.getOutputStream().write("GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
            .getBytes(StandardCharsets.US_ASCII));
        slow.add(socket);
      }
      for (int i = 0; i < 50; i++) {
        s.get("/api/health", null);
      }
      long[] ms = new long[200];
      for (int i = 0; i < ms.length; i++) {
        long t0 = System.nanoTime();
        assertThat(s.get("/api/health", null).statusCode()).isEqualTo(200);
        ms[i] = (System.nanoTime() - t0) / 1_000_000;
      }
      Arrays.sort(ms);
      System.out.println("BENCH-INFO slowloris: 1000 half-sent requests open, /api/health p50=" + ms[100] + "ms p99="
          + ms[197] + "ms");
      // the median, not the tail: on a shared, loaded CI machine the tail measures the neighbours
      assertThat(ms[100]).as("/api/health p50 in ms with 1000 slowloris connections").isLessThan(20);
      assertThat(busyJettyThreads(s)).isLessThan(20);
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  @Test
  void streamRequestRecordsNameTheClientAndAreNotSlow() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("ENABLE_MONITORING", "true", "MONITORING_INTERVAL", "200ms",
        "LOG_JSON", "true", "LOG_SLOW_REQUEST", "100ms"))) {
      HttpResponse<String> r = s.send(stream(s, s.token(Role.VIEWER), 1));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("event: sample");
      Path requests = new LogFiles(dir.resolve("logs"), "vigil").requests();
      await().atMost(Duration.ofSeconds(10)).until(() -> records(requests).stream()
          .anyMatch(n -> n.path("path").asText().equals("/api/stream")));
      JsonNode rec = records(requests).stream().filter(n -> n.path("path").asText().equals("/api/stream"))
          .findFirst().orElseThrow();
      assertThat(rec.path("ip_address").asText()).isEqualTo("127.0.0.1");
      assertThat(rec.path("response_time_ms").asDouble()).isGreaterThan(500);
      assertThat(rec.path("slow").asBoolean()).isFalse();
    }
  }

  private static List<JsonNode> records(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith("{")) {
          out.add(Json.MAPPER.readTree(line));
        }
      }
    }
    return out;
  }
}
