package dev.vigil.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.cache.CacheManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile requests: smuggling, oversized heads, absolute-form targets, CONNECT, header injection.
 * Vigil answers none of them with a 5xx of its own, and nothing reaches any host but the upstream.
 */
class HostileInputTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestApps.App flask;
  static AppProxy proxy;
  static ServerSocket bystander;
  static final AtomicInteger bystanderHits = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    flask = TestApps.flask();
    proxy = AppProxy.start(ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0).build(), null, null, Clock.systemUTC());
    bystander = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!bystander.isClosed()) {
        try {
          bystander.accept().close();
          bystanderHits.incrementAndGet();
        } catch (IOException e) {
          return;
        }
      }
    }, "bystander");
    t.setDaemon(true);
    t.start();
  }

  @AfterAll
  static void stop() throws IOException {
    proxy.close();
    flask.close();
    bystander.close();
  }

  private static int status(String raw) {
    assertThat(raw).startsWith("HTTP/1.1 ");
    return Integer.parseInt(raw.substring(9, 12));
  }

  private static long upstreamHits(String path) throws Exception {
    JsonNode h = JSON.readTree(Http.get(flask.url() + "/_hits").body());
    return h.has(path) ? h.get(path).asLong() : 0;
  }

  @Test
  void contentLengthPlusTransferEncodingIsRefusedAndNothingIsSmuggled() throws Exception {
    long before = upstreamHits("/api/status/418");
    String smuggle = "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "0\r\n\r\nGET /api/status/418 HTTP/1.1\r\nHost: x\r\n\r\n";
    String raw = Http.raw(proxy.port(), smuggle);
    int s = status(raw);
    assertThat(s).isBetween(400, 499);
    assertThat(raw).doesNotContain("HTTP/1.1 418");
    assertThat(upstreamHits("/api/status/418")).isEqualTo(before);

    String te2 = "POST /api/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n"
        + "5\r\nhello\r\n0\r\n\r\n";
    assertThat(status(Http.raw(proxy.port(), te2))).isLessThan(500);

    String badChunk = "POST /api/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n";
    assertThat(status(Http.raw(proxy.port(), badChunk))).isBetween(400, 499);

    String obfuscated = "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding : chunked\r\n\r\nhello";
    assertThat(status(Http.raw(proxy.port(), obfuscated))).isLessThan(500);
  }

  @Test
  void oversizedHeadersGet431() throws Exception {
    String raw = Http.raw(proxy.port(), "GET /api/echo HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n");
    assertThat(status(raw)).isEqualTo(431);
  }

  @Test
  void absoluteFormTargetsAndConnectAreRefused() throws Exception {
    int port = bystander.getLocalPort();
    String abs = Http.raw(proxy.port(), "GET http://127.0.0.1:" + port + "/steal HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n");
    assertThat(status(abs)).isEqualTo(400);
    assertThat(abs).contains("origin-form");
    String conn = Http.raw(proxy.port(), "CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n");
    assertThat(status(conn)).isBetween(400, 499);
    String hostOnly = Http.raw(proxy.port(), "GET /api/echo HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
    assertThat(status(hostOnly)).isEqualTo(200);
    String star = Http.raw(proxy.port(), "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(status(star)).isLessThan(500);
    assertThat(bystanderHits.get()).isZero();
  }

  @Test
  void headerInjectionIsRejected() throws Exception {
    long before = upstreamHits("/api/status/418");
    String bareLf = "GET /api/echo HTTP/1.1\r\nHost: x\r\nX-A: 1\nGET /api/status/418 HTTP/1.1\r\n\r\n";
    int s1 = status(Http.raw(proxy.port(), bareLf));
    assertThat(s1).isLessThan(500);
    String bareCr = "GET /api/echo HTTP/1.1\r\nHost: x\r\nX-A: 1\rX-Injected: yes\r\nConnection: close\r\n\r\n";
    String r2 = Http.raw(proxy.port(), bareCr);
    assertThat(status(r2)).isLessThan(500);
    assertThat(r2).doesNotContain("\"X-Injected\"");
    String fold = "GET /api/echo HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n X-Folded: yes\r\nConnection: close\r\n\r\n";
    assertThat(status(Http.raw(proxy.port(), fold))).isLessThan(500);
    String space = "GET /api/echo HTTP/1.1\r\nHost: x\r\nX A: 1\r\nConnection: close\r\n\r\n";
    assertThat(status(Http.raw(proxy.port(), space))).isLessThan(500);
    String nul = "GET /api/echo HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\nConnection: close\r\n\r\n";
    assertThat(status(Http.raw(proxy.port(), nul))).isLessThan(500);
    String badPath = "GET /api/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    assertThat(status(Http.raw(proxy.port(), badPath))).isLessThan(500);
    String encoded = "GET /api/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    assertThat(status(Http.raw(proxy.port(), encoded))).isLessThan(500);
    assertThat(upstreamHits("/api/status/418")).isEqualTo(before);
  }

  @Test
  void slowAndTruncatedClientsDoNotGet5xx() throws Exception {
    // a body shorter than its Content-Length: the proxy waits, then answers without a 5xx of its own
    String truncated = "POST /api/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-some";
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      s.getOutputStream().write(truncated.getBytes());
      s.shutdownOutput();
      s.setSoTimeout(5000);
      byte[] b = s.getInputStream().readAllBytes();
      String r = new String(b);
      if (!r.isEmpty()) {
        assertThat(status(r)).isLessThan(500);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the proxy did not answer a truncated body", e);
    }
  }

  @Test
  void clientsThatPipelineAndNeverReadHoldNoThread() throws Exception {
    // each connection sends request after request and reads nothing, until the proxy stops reading it;
    // answers are written asynchronously, so no proxy thread waits on such a client (a blocking write
    // would hold one thread per connection until the idle timeout, and enough of them starve the pool)
    try (CacheManager cache = CacheManager.builder().build();
        AppProxy p = AppProxy.start(ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0)
            .cacheRule(CacheRule.of("/api/projects/*", Duration.ofMinutes(5))).build(), cache, null, Clock.systemUTC())) {
      assertThat(Http.get("http://127.0.0.1:" + p.port() + "/api/projects/7").statusCode()).isEqualTo(200);
      byte[] burst = "GET /api/projects/7 HTTP/1.1\r\nHost: x\r\n\r\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
      List<SocketChannel> readers = new ArrayList<>();
      try {
        for (int i = 0; i < 20; i++) {
          SocketChannel c = SocketChannel.open();
          c.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
          c.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
          c.connect(new InetSocketAddress("127.0.0.1", p.port()));
          c.configureBlocking(false);
          readers.add(c);
        }
        // stalled: no connection takes another byte, three rounds in a row
        AtomicInteger quietRounds = new AtomicInteger();
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
          long sent = 0;
          for (SocketChannel c : readers) {
            sent += c.write(ByteBuffer.wrap(burst));
          }
          return sent == 0 ? quietRounds.incrementAndGet() >= 3 : quietRounds.getAndSet(0) < 0;
        });
        System.out.printf("the readers stalled after %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(threadsWaitingOnAWrite()).as("proxy threads blocked writing to clients that do not read").isEmpty();
        HttpResponse<String> other = Http.get("http://127.0.0.1:" + p.port() + "/api/projects/7");
        assertThat(other.statusCode()).isEqualTo(200);
      } finally {
        for (SocketChannel c : readers) {
          c.close();
        }
      }
    }
  }

  private static List<String> threadsWaitingOnAWrite() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      if (e.getKey().getName().startsWith("vigil-proxy") && Arrays.stream(e.getValue())
          .anyMatch(f -> f.getClassName().startsWith("org.eclipse.jetty.util.SharedBlockingCallback"))) {
        out.add(e.getKey().getName());
      }
    }
    return out;
  }
}
