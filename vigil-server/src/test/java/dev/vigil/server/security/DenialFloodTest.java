package dev.vigil.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood without a token does not amplify into disk writes: 20,000 requests against {@code /api/health}
 * and {@code /api/info} with the default rate limits grow logs, audit trail and store by at most 5 MB,
 * and the audit trail still says who was denied, how often and when.
 */
class DenialFloodTest {
  private static final int REQUESTS = 20_000;

  @TempDir
  Path dir;

  private static long bytesUnder(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // rotated away while walking
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void twentyThousandAnonymousRequestsWriteLittleAndAreStillAccountedFor() throws Exception {
    MutableClock clock = new MutableClock();
    try (TestServer s = TestServer.start(dir, Map.of("VIGIL_SERVER_RATE_LIMIT_IP_PER_SECOND", "200",
        "VIGIL_SERVER_RATE_LIMIT_TOKEN_PER_SECOND", "1000000"), clock)) {
      long before = bytesUnder(dir);
      HttpClient client = HttpClient.newBuilder().build();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      AtomicInteger unauthorized = new AtomicInteger();
      AtomicInteger limited = new AtomicInteger();
      AtomicInteger other = new AtomicInteger();
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          done.add(pool.submit(() -> {
            for (int i = 0; i < REQUESTS / 8; i++) {
              String path = i % 2 == 0 ? "/api/health" : "/api/info";
              HttpResponse<Void> r = client.send(HttpRequest.newBuilder(s.uri(path)).build(),
                  HttpResponse.BodyHandlers.discarding());
              switch (r.statusCode()) {
                case 401 -> unauthorized.incrementAndGet();
                case 429 -> limited.incrementAndGet();
                case 200 -> { }
                default -> other.incrementAndGet();
              }
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(other.get()).isZero();
      assertThat(limited.get()).as("rate limited").isGreaterThan(1000);
      assertThat(unauthorized.get()).as("refused for want of a token").isGreaterThan(0);

      clock.advance(Duration.ofSeconds(61)); // the denial windows end: their summaries are written
      await().atMost(Duration.ofSeconds(10)).until(() -> s.audited("access.denied").stream()
          .anyMatch(e -> e.path("details").path("aggregated").asBoolean()));
      List<JsonNode> denied = s.audited("access.denied");
      long grown = bytesUnder(dir) - before;
      System.out.println("BENCH-INFO denial-flood: " + REQUESTS + " anonymous requests (" + limited + " 429, "
          + unauthorized + " 401) grew logs+audit+store by " + grown + " bytes; " + denied.size()
          + " access.denied records");
      assertThat(grown).as("bytes written for %d refused requests", REQUESTS).isLessThanOrEqualTo(5L << 20);
      assertThat(denied.size()).as("audit records of the flood").isLessThan(50);

      // who, how often, when: the counts add up to every refusal, each with its address and window
      long counted = 0;
      for (JsonNode e : denied) {
        JsonNode d = e.path("details");
        assertThat(e.path("ip_address").asText()).isEqualTo("127.0.0.1");
        if (d.path("aggregated").asBoolean()) {
          counted += d.path("count").asLong() - 1; // the first of the window was written on its own
          assertThat(d.path("first_at").asText()).isNotEmpty();
          assertThat(d.path("last_at").asText()).isNotEmpty();
        } else {
          counted += 1;
        }
      }
      assertThat(counted).isEqualTo(unauthorized.get() + limited.get());
      assertThat(denied).anySatisfy(e -> assertThat(e.path("resource").asText()).isEqualTo("route:GET /api/info"));
      assertThat(denied).anySatisfy(e -> assertThat(e.path("details").path("status").asInt()).isEqualTo(429));
      String metrics = s.get("/metrics", s.adminToken).body();
      assertThat(metrics).contains("vigil_http_denied_total{status=\"429\"}");
    }
  }
}
