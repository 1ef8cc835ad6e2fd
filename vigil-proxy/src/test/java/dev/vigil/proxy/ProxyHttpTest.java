package dev.vigil.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The proxy as an HTTP/1.1 reverse proxy in front of a real Flask application. */
class ProxyHttpTest {
  static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
  static TestApps.App flask;
  static AppProxy proxy;
  static String base;
  static final List<ProxyRequestRecord> LOG = new CopyOnWriteArrayList<>();
  static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

  @BeforeAll
  static void start() throws Exception {
    flask = TestApps.flask();
    ProxyConfig config = ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0)
        .readTimeout(Duration.ofSeconds(2)).routes(List.of("/api/projects/{project}/tasks/{task}")).build();
    proxy = AppProxy.start(config, null, METERS, Clock.systemUTC(), LOG::add);
    base = "http://127.0.0.1:" + proxy.port();
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (flask != null) {
      flask.close();
    }
  }

  @Test
  void methodsStatusesAndBodiesPassThrough() throws Exception {
    for (String m : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
      HttpResponse<String> r = Http.send(m, base + "/api/echo?q=1", m.equals("GET") || m.equals("OPTIONS") ? null : "body-" + m);
      assertThat(r.statusCode()).as(m).isEqualTo(200);
      JsonNode j = JSON.readTree(r.body());
      assertThat(j.get("method").asText()).isEqualTo(m);
      assertThat(j.get("args").get("q").asText()).isEqualTo("1");
    }
    for (int code : new int[] {201, 204, 400, 404, 409, 418, 500, 503}) {
      HttpResponse<String> r = Http.get(base + "/api/status/" + code);
      assertThat(r.statusCode()).isEqualTo(code);
    }
    HttpResponse<byte[]> bin = Http.getBytes(base + "/api/binary", "x-no-compression", "1");
    byte[] want = new byte[2048];
    for (int i = 0; i < want.length; i++) {
      want[i] = (byte) (i % 256);
    }
    assertThat(bin.body()).isEqualTo(want);
  }

  @Test
  void redirectsCookiesAndHostAreUntouched() throws Exception {
    HttpResponse<String> r = Http.get(base + "/api/redirect");
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValue("http://elsewhere.invalid/landing?x=1");

    HttpResponse<String> login = Http.send("POST", base + "/api/login", "");
    assertThat(login.headers().allValues("Set-Cookie")).hasSize(2)
        .anySatisfy(c -> assertThat(c).startsWith("session=abc123").containsIgnoringCase("HttpOnly"));

    HttpResponse<String> echo = Http.get(base + "/api/echo", "Cookie", "session=abc123; theme=dark", "Host", "erp.example.com");
    JsonNode j = JSON.readTree(echo.body());
    assertThat(j.get("cookies").get("session").asText()).isEqualTo("abc123");
    assertThat(j.get("headers").get("Host").asText()).isEqualTo("erp.example.com");
    assertThat(j.get("headers").get("X-Forwarded-Host").asText()).isEqualTo("erp.example.com");
  }

  @Test
  void aClientExpectingContinueIsAskedForItsBodyOnce() throws Exception {
    for (int length : new int[] {5_000, 200_000}) { // read whole first, and streamed
      try (Socket s = new Socket("127.0.0.1", proxy.port())) {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(("POST /api/upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + length
            + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] head = new byte[25];
        int n = 0;
        while (n < head.length) {
          int r = in.read(head, n, head.length - n);
          assertThat(r).as("the interim answer").isPositive();
          n += r;
        }
        assertThat(new String(head, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 100 Continue\r\n\r\n");
        out.write("z".repeat(length).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(rest).startsWith("HTTP/1.1 200").doesNotContain("100 Continue");
        assertThat(JSON.readTree(rest.substring(rest.indexOf("\r\n\r\n") + 4)).get("size").asLong()).isEqualTo(length);
      }
    }
  }

  @Test
  void forwardingHeadersAreSetAndHopByHopHeadersRemoved() throws Exception {
    String raw = Http.raw(proxy.port(), "GET /api/echo HTTP/1.1\r\nHost: app.local\r\nConnection: close, X-Secret\r\n"
        + "X-Secret: hop\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic Zm9vOmJhcg==\r\n"
        + "X-Forwarded-For: 6.6.6.6\r\nForwarded: for=6.6.6.6\r\nX-Kept: yes\r\n\r\n");
    assertThat(raw).startsWith("HTTP/1.1 200");
    JsonNode h = JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4)).get("headers");
    assertThat(h.has("X-Secret")).isFalse();
    assertThat(h.has("Keep-Alive")).isFalse();
    assertThat(h.has("Te")).isFalse();
    assertThat(h.has("Proxy-Authorization")).isFalse();
    assertThat(h.get("X-Kept").asText()).isEqualTo("yes");
    // the client is not a trusted proxy: its forwarding claims are replaced, not believed
    assertThat(h.get("X-Forwarded-For").asText()).isEqualTo("127.0.0.1");
    assertThat(h.get("X-Forwarded-Proto").asText()).isEqualTo("http");
    assertThat(h.get("Forwarded").asText()).isEqualTo("for=127.0.0.1;proto=http;host=\"app.local\"");
  }

  @Test
  void largeBodiesStreamBothWaysWithinASmallHeap() throws Exception {
    // the test JVM has a 256 MB heap: 200 MB each way only fits if nothing buffers a whole body
    long size = 200L * 1024 * 1024;
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    byte[] block = new byte[1 << 20];
    for (int i = 0; i < block.length; i++) {
      block[i] = (byte) (i * 31);
    }
    for (int i = 0; i < 200; i++) {
      sent.update(block);
    }
    HttpRequest up = HttpRequest.newBuilder(URI.create(base + "/api/upload")).timeout(Duration.ofSeconds(120))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
          long left = size;

          @Override
          public int read() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int read(byte[] b, int off, int len) {
            if (left == 0) {
              return -1;
            }
            int pos = (int) ((size - left) % block.length);
            int n = (int) Math.min(Math.min(len, left), block.length - pos);
            System.arraycopy(block, pos, b, off, n);
            left -= n;
            return n;
          }
        })).build();
    HttpResponse<String> r = Http.CLIENT.send(up, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode j = JSON.readTree(r.body());
    assertThat(j.get("size").asLong()).isEqualTo(size);
    assertThat(j.get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(sent.digest()));

    HttpResponse<InputStream> down = Http.CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/download?mb=200"))
        .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofInputStream());
    long got = 0;
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = down.body()) {
      byte[] b = new byte[65536];
      int n;
      while ((n = in.read(b)) >= 0) {
        md.update(b, 0, n);
        got += n;
      }
    }
    assertThat(got).isEqualTo(size);
    MessageDigest expect = MessageDigest.getInstance("SHA-256");
    byte[] pattern = new byte[1 << 20];
    for (int i = 0; i < pattern.length; i++) {
      pattern[i] = (byte) (i % 256);
    }
    for (int i = 0; i < 200; i++) {
      expect.update(pattern);
    }
    assertThat(md.digest()).isEqualTo(expect.digest());
  }

  @Test
  void serverSentEventsArriveAsTheyAreSent() throws Exception {
    HttpResponse<InputStream> r = Http.CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/events"))
        .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
    long start = System.nanoTime();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      assertThat(in.readLine()).isEqualTo("data: event 0");
      // the first event comes before the stream ends (the app sleeps 0.2 s between events)
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(350));
      in.readLine();
      assertThat(in.readLine()).isEqualTo("data: event 1");
      in.readLine();
      assertThat(in.readLine()).isEqualTo("data: event 2");
    }
  }

  @Test
  void slowUpstreamGets504AndRouteStatsCountIt() throws Exception {
    HttpResponse<String> r = Http.get(base + "/api/reports/slow?ms=4000");
    assertThat(r.statusCode()).isEqualTo(504);
    JsonNode j = JSON.readTree(r.body());
    assertThat(j.get("error").asText()).isEqualTo("upstream_timeout");
    assertThat(j.get("source").asText()).isEqualTo("vigil-proxy");
  }

  @Test
  void gzipAndStrongEtagForResponsesLackingThem() throws Exception {
    HttpResponse<byte[]> r = Http.getBytes(base + "/api/projects", "Accept-Encoding", "gzip");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
    String etag = r.headers().firstValue("ETag").orElseThrow();
    byte[] plain = new GZIPInputStream(new java.io.ByteArrayInputStream(r.body())).readAllBytes();
    assertThat(JSON.readTree(plain).size()).isEqualTo(60);

    HttpResponse<String> again = Http.get(base + "/api/projects", "Accept-Encoding", "gzip", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    HttpResponse<String> optOut = Http.get(base + "/api/projects", "Accept-Encoding", "gzip", "x-no-compression", "1");
    assertThat(optOut.headers().firstValue("Content-Encoding")).isEmpty();
    String plainTag = optOut.headers().firstValue("ETag").orElseThrow();
    assertThat(plainTag).doesNotStartWith("W/");
    assertThat(Http.get(base + "/api/projects", "If-None-Match", plainTag).statusCode()).isEqualTo(304);

    HttpResponse<String> small = Http.get(base + "/api/projects/1", "Accept-Encoding", "gzip");
    assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
  }

  @Test
  void routeTemplatesStatsMetersAndRequestLog() throws Exception {
    Http.get(base + "/api/projects/11");
    Http.get(base + "/api/projects/12");
    Http.get(base + "/api/projects/3fa85f64-5717-4562-b3fc-2c963f66afa6");
    Http.get(base + "/api/projects/7/tasks/design", "User-Agent", "erp-test/1.0");
    Http.get(base + "/api/user");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> LOG.stream().anyMatch(l -> l.path().equals("/api/user")));
    List<RouteStats> routes = proxy.routes();
    RouteStats projects = routes.stream().filter(r -> r.route().equals("/api/projects/{id}")).findFirst().orElseThrow();
    assertThat(projects.count()).isGreaterThanOrEqualTo(3);
    assertThat(projects.p99Ms()).isGreaterThan(0);
    assertThat(projects.bytes()).isGreaterThan(0);
    assertThat(routes).extracting(RouteStats::route).contains("/api/projects/{project}/tasks/{task}");
    assertThat(METERS.get("vigil.proxy.requests").tag("route", "/api/projects/{id}").timer().count())
        .isGreaterThanOrEqualTo(3);
    ProxyRequestRecord task = LOG.stream().filter(l -> l.path().equals("/api/projects/7/tasks/design")).findFirst().orElseThrow();
    assertThat(task.method()).isEqualTo("GET");
    assertThat(task.statusCode()).isEqualTo(200);
    assertThat(task.userAgent()).isEqualTo("erp-test/1.0");
    assertThat(task.ipAddress()).isEqualTo("127.0.0.1");
    assertThat(task.responseTimeMs()).isGreaterThan(0);
    ProxyRequestRecord user = LOG.stream().filter(l -> l.path().equals("/api/user")).findFirst().orElseThrow();
    assertThat(user.userId()).isEqualTo("123");
    assertThat(Http.get(base + "/api/user").headers().firstValue("X-Vigil-User")).isEmpty();
    String json = JSON.writeValueAsString(proxy.summary());
    assertThat(json).contains("\"upstream_up\":true");
  }

  @Test
  void routeCardinalityIsBounded() throws Exception {
    ProxyConfig config = ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0).maxRoutes(3).build();
    try (AppProxy small = AppProxy.start(config, null, null, Clock.systemUTC())) {
      for (int i = 0; i < 10; i++) {
        Http.get("http://127.0.0.1:" + small.port() + "/page" + (char) ('a' + i));
      }
      assertThat(small.routes()).hasSizeLessThanOrEqualTo(4);
      assertThat(small.routes()).extracting(RouteStats::route).contains(ProxyConfig.OTHER_ROUTE);
    }
  }

  @Test
  void upstreamDownGivesJson502AndSummarySaysDown() throws Exception {
    int dead = TestApps.freePort();
    ProxyConfig config = ProxyConfig.builder("http://127.0.0.1:" + dead).listen("127.0.0.1", 0)
        .health(Duration.ofMillis(100), 2).build();
    try (AppProxy down = AppProxy.start(config, null, null, Clock.systemUTC())) {
      HttpResponse<String> r = Http.get("http://127.0.0.1:" + down.port() + "/api/projects/1");
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
      JsonNode j = JSON.readTree(r.body());
      assertThat(j.get("error").asText()).isEqualTo("upstream_unavailable");
      assertThat(j.get("message").asText()).contains("127.0.0.1:" + dead);
      await().atMost(Duration.ofSeconds(5)).until(() -> !down.summary().upstreamUp());
      assertThat(down.summary().lastError()).isNotBlank();
    }
  }

  @Test
  void anUpstreamBodyShorterThanItsContentLengthIsAJson502NotATruncatedAnswer() throws Exception {
    // an upstream that promises 500 bytes, sends 100 and hangs up: small bodies are gathered before
    // they are answered, so the client gets a clear 502 instead of a 200 cut short
    try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        while (!upstream.isClosed()) {
          try (Socket s = upstream.accept()) {
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
              int b = in.read();
              if (b < 0) {
                break;
              }
              head.append((char) b);
            }
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 500\r\n\r\n"
                + "x".repeat(100)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
          } catch (IOException e) {
            return; // the socket was closed by the test
          }
        }
      }, "short-body-upstream");
      t.setDaemon(true);
      t.start();
      ProxyConfig config = ProxyConfig.builder("http://127.0.0.1:" + upstream.getLocalPort()).listen("127.0.0.1", 0)
          .build();
      try (AppProxy p = AppProxy.start(config, null, null, Clock.systemUTC())) {
        HttpResponse<String> r = Http.get("http://127.0.0.1:" + p.port() + "/short");
        assertThat(r.statusCode()).isEqualTo(502);
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.get("error").asText()).isEqualTo("upstream_unavailable");
        assertThat(j.get("source").asText()).isEqualTo("vigil-proxy");
      }
    }
  }
}
