package dev.vigil.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.cache.CacheManager;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-client rate limits, trusted proxies and the concurrency limit, in front of a real Flask app. */
class LimitsTest {
  static TestApps.App flask;

  @BeforeAll
  static void start() throws Exception {
    flask = TestApps.flask();
  }

  @AfterAll
  static void stop() {
    flask.close();
  }

  @Test
  void aClientOverItsRateGets429WithRetryAfterButCacheHitsStillServe() throws Exception {
    try (CacheManager cache = CacheManager.builder().build();
        AppProxy p = AppProxy.start(ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0).clientRate(1, 3)
            .cacheRule(CacheRule.of("/api/projects/*", Duration.ofMinutes(1))).build(), cache, null, Clock.systemUTC())) {
      String base = "http://127.0.0.1:" + p.port();
      assertThat(Http.get(base + "/api/projects/1").statusCode()).isEqualTo(200);
      List<Integer> codes = new ArrayList<>();
      HttpResponse<String> limited = null;
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> r = Http.get(base + "/api/echo");
        codes.add(r.statusCode());
        if (r.statusCode() == 429) {
          limited = r;
        }
      }
      assertThat(codes).contains(200, 429).doesNotContain(500, 502, 503);
      assertThat(limited.headers().firstValue("Retry-After")).isPresent();
      assertThat(limited.body()).contains("rate_limited");
      HttpResponse<String> hit = Http.get(base + "/api/projects/1");
      assertThat(hit.statusCode()).isEqualTo(200);
      assertThat(hit.headers().firstValue("X-Vigil-Cache")).hasValue("HIT");
      assertThat(p.summary().rejected()).isPositive();

      // requests pipelined behind a refused one on a cached route are each answered, in order, on one connection
      try (Socket pipelined = new Socket("127.0.0.1", p.port())) {
        pipelined.setSoTimeout(15_000);
        String get = "GET /api/projects/%d HTTP/1.1\r\nHost: 127.0.0.1:" + p.port() + "\r\n\r\n";
        pipelined.getOutputStream().write((get.formatted(7) + get.formatted(8) + get.formatted(1))
            .getBytes(StandardCharsets.US_ASCII));
        InputStream in = pipelined.getInputStream();
        assertThat(readHead(in)).startsWith("HTTP/1.1 429");
        assertThat(readHead(in)).startsWith("HTTP/1.1 429");
        assertThat(readHead(in)).startsWith("HTTP/1.1 200").containsIgnoringCase("X-Vigil-Cache: HIT");
      }
    }
  }

  @Test
  void forwardedForIsBelievedOnlyFromTrustedProxies() throws Exception {
    List<ProxyRequestRecord> log = new CopyOnWriteArrayList<>();
    try (AppProxy trusting = AppProxy.start(ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0)
            .trustedProxies(List.of("127.0.0.0/8")).clientRate(1, 2).build(), null, null, Clock.systemUTC(), log::add);
        AppProxy plain = AppProxy.start(ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0).build(), null, null,
            Clock.systemUTC(), log::add)) {
      HttpResponse<String> r = Http.get("http://127.0.0.1:" + trusting.port() + "/api/echo", "X-Forwarded-For", "203.0.113.9");
      assertThat(r.body()).contains("\"X-Forwarded-For\":\"203.0.113.9, 127.0.0.1\"");
      await().atMost(Duration.ofSeconds(5)).until(() -> !log.isEmpty());
      assertThat(log.get(0).ipAddress()).isEqualTo("203.0.113.9");
      // each forwarded client has its own bucket
      for (int i = 0; i < 3; i++) {
        Http.get("http://127.0.0.1:" + trusting.port() + "/api/echo", "X-Forwarded-For", "198.51.100.1");
      }
      assertThat(Http.get("http://127.0.0.1:" + trusting.port() + "/api/echo", "X-Forwarded-For", "198.51.100.2")
          .statusCode()).isEqualTo(200);
      Http.get("http://127.0.0.1:" + plain.port() + "/api/projects/1", "X-Forwarded-For", "203.0.113.9");
      await().atMost(Duration.ofSeconds(5))
          .until(() -> log.stream().anyMatch(l -> l.path().equals("/api/projects/1")));
      assertThat(log.stream().filter(l -> l.path().equals("/api/projects/1")).findFirst().orElseThrow().ipAddress())
          .isEqualTo("127.0.0.1");
    }
  }

  @Test
  void overTheConcurrencyLimitRequestsGet503WithRetryAfter() throws Exception {
    try (AppProxy p = AppProxy.start(ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0).concurrency(1, 1, 1).build(),
        null, null, Clock.systemUTC())) {
      String base = "http://127.0.0.1:" + p.port();
      CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
        try {
          return Http.get(base + "/api/reports/slow?ms=800");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      await().atMost(Duration.ofSeconds(5)).until(() -> p.summary().inFlight() == 1);
      HttpResponse<String> shed = Http.get(base + "/api/echo");
      assertThat(shed.statusCode()).isEqualTo(503);
      assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(shed.body()).contains("overloaded");
      assertThat(slow.join().statusCode()).isEqualTo(200);
    }
  }

  @Test
  void slowUploadsDoNotShutOutOtherRequests() throws Exception {
    // ten clients sending small bodies at a byte every 200 ms hold no slot (small bodies are read whole
    // before anything goes upstream), and bodies streamed upstream may fill half the limit, not all of it
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (AppProxy p = AppProxy.start(ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0).concurrency(2, 2, 2)
        .minUploadRate(0).build(), null, meters, Clock.systemUTC())) {
      String base = "http://127.0.0.1:" + p.port();
      List<SlowUpload> uploads = new ArrayList<>();
      try {
        for (int i = 0; i < 10; i++) {
          uploads.add(new SlowUpload(p.port(), 1000));
        }
        uploads.add(new SlowUpload(p.port(), 100_000));
        await().atMost(Duration.ofSeconds(5)).until(() -> p.summary().inFlight() == 1); // the large one streams
        SlowUpload refused = new SlowUpload(p.port(), 100_000);
        assertThat(refused.answer()).startsWith("HTTP/1.1 503").contains("overloaded");
        assertThat(Http.get(base + "/api/projects/1").statusCode()).isEqualTo(200);
        HttpResponse<String> fast = Http.send("POST", base + "/api/echo", "a body sent at once");
        assertThat(fast.statusCode()).isEqualTo(200);
        assertThat(fast.body()).contains("a body sent at once");
        assertThat(p.summary().inFlight()).isEqualTo(1);
        assertThat(meters.get("vigil.proxy.uploads.streaming").gauge().value()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5))
            .until(() -> meters.get("vigil.proxy.request.buffered").gauge().value() == 10 * 1000);
      } finally {
        for (SlowUpload u : uploads) {
          u.close();
        }
      }
      // every slot and every buffered byte is given back when the clients go away
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(p.summary().inFlight()).isZero();
        assertThat(meters.get("vigil.proxy.uploads.streaming").gauge().value()).isZero();
        assertThat(meters.get("vigil.proxy.request.buffered").gauge().value()).isZero();
      });
    }
  }

  @Test
  void bodiesTakeBufferOnlyAsTheirBytesArriveAndNeverPastTheBudget() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (AppProxy p = AppProxy.start(ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0).minUploadRate(0)
        .requestBufferTotalBytes(64 * 1024).build(), null, meters, Clock.systemUTC())) {
      String base = "http://127.0.0.1:" + p.port();
      List<SlowUpload> clients = new ArrayList<>();
      try {
        // thirty clients announce 60 KB bodies and send nothing: they hold no buffer, and a real body still fits
        for (int i = 0; i < 30; i++) {
          clients.add(new SlowUpload(p.port(), 60_000, 0, false));
        }
        String big = "b".repeat(30_000);
        HttpResponse<String> whole = Http.send("POST", base + "/api/echo", big);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).contains("\"length\":30000");
        assertThat(meters.get("vigil.proxy.request.buffered").gauge().value()).isZero();

        // four bodies 12 KB in take 16 KiB each (buffers double from 4 KiB): the 64 KiB budget is spent
        List<SlowUpload> partial = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          partial.add(new SlowUpload(p.port(), 60_000, 12_000, false));
        }
        clients.addAll(partial);
        await().atMost(Duration.ofSeconds(5))
            .until(() -> meters.get("vigil.proxy.request.buffered").gauge().value() == 64 * 1024);
        // a new body is streamed instead of buffered, so it still gets through
        HttpResponse<String> streamed = Http.send("POST", base + "/api/echo", "streamed while the buffer is full");
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body()).contains("streamed while the buffer is full");
        // a body that would need more than the budget has left is refused, naming the setting
        partial.get(0).send(5_000);
        assertThat(partial.get(0).answer()).startsWith("HTTP/1.1 503").contains("overloaded")
            .contains("proxy.request_buffer_total_bytes");
        await().atMost(Duration.ofSeconds(5))
            .until(() -> meters.get("vigil.proxy.request.buffered").gauge().value() == 48 * 1024);
      } finally {
        for (SlowUpload u : clients) {
          u.close();
        }
      }
      await().atMost(Duration.ofSeconds(10))
          .until(() -> meters.get("vigil.proxy.request.buffered").gauge().value() == 0);
    }
  }

  @Test
  void bodiesSlowerThanTheMinimumRateGet408() throws Exception {
    try (AppProxy p = AppProxy.start(ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0).minUploadRate(1024).build(),
        null, null, Clock.systemUTC())) {
      SlowUpload small = new SlowUpload(p.port(), 1000);
      SlowUpload large = new SlowUpload(p.port(), 100_000);
      assertThat(small.answer()).startsWith("HTTP/1.1 408").contains("client_timeout");
      assertThat(large.answer()).startsWith("HTTP/1.1 408").contains("client_timeout");
      await().atMost(Duration.ofSeconds(5)).until(() -> p.summary().inFlight() == 0);
    }
  }

  @Test
  void aHeadStillArrivingAtTheHeaderTimeoutLosesItsConnection() throws Exception {
    try (AppProxy p = AppProxy.start(ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0)
        .headerTimeout(Duration.ofSeconds(1)).build(), null, null, Clock.systemUTC());
        Socket slow = new Socket("127.0.0.1", p.port());
        Socket split = new Socket("127.0.0.1", p.port());
        Socket idle = new Socket("127.0.0.1", p.port())) {
      // a head sent a header line every 200 ms is never idle for the read timeout, but is cut at the header timeout
      long started = System.nanoTime();
      slow.setSoTimeout(15_000);
      OutputStream slowOut = slow.getOutputStream();
      slowOut.write("GET /api/projects/1 HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      dribble("slow-head", slow, 100, i -> slowOut.write(("X-Slow-" + i + ": 1\r\n").getBytes(StandardCharsets.US_ASCII)));
      String answer;
      try (InputStream in = slow.getInputStream()) {
        answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      } catch (IOException reset) {
        answer = "";
      }
      assertThat(answer).as("nothing is answered to a head that never ends").isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));

      // a head in two parts inside the timeout is answered, and a keep-alive connection may then sit idle for
      // longer than the header timeout: only a head that has begun is on the clock
      split.setSoTimeout(15_000);
      OutputStream out = split.getOutputStream();
      out.write("GET /api/projects/1 HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(300);
      out.write("Host: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(split.getInputStream())).startsWith("HTTP/1.1 200");
      idle.setSoTimeout(15_000);
      idle.getOutputStream().write("GET /api/projects/1 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(idle.getInputStream())).startsWith("HTTP/1.1 200");
      Thread.sleep(1500);
      idle.getOutputStream().write("GET /api/projects/2 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(idle.getInputStream())).as("the second request on the idle connection")
          .startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void connectionsPastTheMaximumAreClosedAsTheyAreAccepted() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (AppProxy p = AppProxy.start(ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0).maxConnections(3).build(),
        null, meters, Clock.systemUTC())) {
      List<Socket> open = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          Socket s = new Socket("127.0.0.1", p.port());
          s.setSoTimeout(15_000);
          s.getOutputStream().write("GET /api/projects/1 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
          open.add(s);
        }
        try (Socket extra = new Socket("127.0.0.1", p.port())) {
          extra.setSoTimeout(15_000);
          assertThat(extra.getInputStream().read()).as("a fourth connection is closed at once").isEqualTo(-1);
        }
        assertThat(meters.get("vigil.proxy.connections.refused").functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("vigil.proxy.connections").gauge().value()).isEqualTo(3);
        // the open ones still work, and a place freed is a place for a new client
        open.get(0).getOutputStream().write("GET /api/projects/2 HTTP/1.1\r\nHost: x\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        assertThat(readHead(open.get(0).getInputStream())).startsWith("HTTP/1.1 200");
        open.remove(0).close();
        await().atMost(Duration.ofSeconds(5)).until(() -> meters.get("vigil.proxy.connections").gauge().value() == 2);
        try (Socket next = new Socket("127.0.0.1", p.port())) {
          next.setSoTimeout(15_000);
          next.getOutputStream().write("GET /api/projects/1 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          assertThat(readHead(next.getInputStream())).startsWith("HTTP/1.1 200");
        }
      } finally {
        for (Socket s : open) {
          s.close();
        }
      }
    }
  }

  /** One piece a slow client sends; {@code i} counts from 0. */
  private interface Piece {
    void send(int i) throws IOException;
  }

  /**
   * Sends {@code pieces} pieces on {@code socket} from a thread of its own, one every 200 ms, until they are
   * sent or the proxy closes the connection.
   */
  private static void dribble(String name, Socket socket, int pieces, Piece piece) {
    Thread t = new Thread(() -> {
      try {
        for (int i = 0; i < pieces && !socket.isClosed(); i++) {
          Thread.sleep(200);
          piece.send(i);
        }
      } catch (IOException e) {
        // the proxy answered or closed the connection: this client is done sending
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
    t.setDaemon(true);
    t.start();
  }

  /** Reads one answer's head and its Content-Length body from {@code in}; returns the head. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("the connection closed after: " + head);
      }
      head.append((char) c);
    }
    String h = head.toString();
    int at = h.toLowerCase(Locale.ROOT).indexOf("content-length:");
    int length = at < 0 ? 0 : Integer.parseInt(h.substring(at + 15, h.indexOf('\r', at)).trim());
    in.readNBytes(length);
    return h;
  }

  /**
   * A client announcing a body of {@code length} bytes and sending {@code first} of them at once, then (when
   * {@code dribble}) one more every 200 ms.
   */
  private static final class SlowUpload implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final CompletableFuture<String> answer;

    SlowUpload(int port, int length) throws IOException {
      this(port, length, 1, true);
    }

    SlowUpload(int port, int length, int first, boolean dribble) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(15_000);
      out = socket.getOutputStream();
      out.write(("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: " + length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      send(first);
      if (dribble) {
        dribble("slow-upload", socket, length - first, i -> send(1));
      }
      answer = CompletableFuture.supplyAsync(() -> {
        try (socket; InputStream in = socket.getInputStream()) {
          return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
          return "failed: " + e;
        }
      });
    }

    void send(int bytes) throws IOException {
      out.write("x".repeat(bytes).getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    String answer() {
      return answer.join();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
