package dev.vigil.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.store.StateStore;
import dev.vigil.server.TestServer;
import dev.vigil.server.audit.AuditEvent;
import dev.vigil.server.auth.Authenticator;
import dev.vigil.server.auth.Role;
import dev.vigil.server.auth.TokenStore;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.HttpServer;
import dev.vigil.server.http.RateLimiter;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server.max_body_bytes} holds while the body is read, chunked or not (413, with an audit record),
 * and the audit guard covers an {@link Error} escaping a handler.
 */
class BodyLimitTest {
  @TempDir
  Path dir;

  /** Sends a chunked body of {@code total} bytes on a raw connection and returns the status line. */
  private static String chunked(TestServer s, String path, String token, long total) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", s.server.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      ExecutorService writer = Executors.newSingleThreadExecutor();
      try {
        writer.submit(() -> {
          byte[] chunk = new byte[64 * 1024];
          Arrays.fill(chunk, (byte) ' ');
          chunk[0] = '{';
          byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
          for (long sent = 0; sent < total; sent += chunk.length) {
            out.write(head);
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            chunk[0] = ' ';
          }
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          return null;
        });
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
          line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII).trim();
      } finally {
        writer.shutdownNow();
      }
    }
  }

  @Test
  void aHugeChunkedBodyIs413AndAudited() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("VIGIL_SERVER_MAX_BODY_BYTES", "4KB"))) {
      String operator = s.token(Role.OPERATOR);
      long heapBefore = usedHeap();
      String status = chunked(s, "/api/cache/clear", operator, 120L << 20);
      assertThat(status).startsWith("HTTP/1.1 413");
      assertThat(usedHeap() - heapBefore).as("heap grown by the 120 MB body").isLessThan(64L << 20);
      assertThat(chunked(s, "/api/tokens", s.adminToken, 1L << 20)).startsWith("HTTP/1.1 413");

      // a declared length above the limit is refused as well, and a body within it still works
      HttpResponse<String> declared = s.send(HttpRequest.newBuilder(s.uri("/api/cache/clear"))
          .header("Authorization", "Bearer " + operator)
          .POST(HttpRequest.BodyPublishers.ofString("{\"prefix\":\"" + "x".repeat(5000) + "\"}")).build());
      assertThat(declared.statusCode()).isEqualTo(413);
      HttpResponse<String> small = s.send(HttpRequest.newBuilder(s.uri("/api/cache/clear"))
          .header("Authorization", "Bearer " + operator).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
      assertThat(small.statusCode()).isEqualTo(200);

      List<JsonNode> clears = s.audited("cache.clear");
      List<JsonNode> generic = s.audited("api.post");
      assertThat(clears.size() + generic.size()).as("one record per clear attempt").isGreaterThanOrEqualTo(3);
      assertThat(generic).anySatisfy(e -> assertThat(e.path("details").path("status").asText()).isEqualTo("413"));
    }
  }

  private static long usedHeap() {
    System.gc();
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  @Test
  void anErrorEscapingAHandlerStillLeavesItsAuditRecord() throws Exception {
    try (StateStore store = StateStore.open(null, dir)) {
      TokenStore tokens = new TokenStore(store, Clock.systemUTC());
      String admin = tokens.create("admin", Role.ADMIN).token();
      List<AuditEvent> actions = new CopyOnWriteArrayList<>();
      HttpServer.Auditor auditor = new HttpServer.Auditor() {
        @Override
        public void action(Context ctx, AuditEvent event) {
          actions.add(event);
        }

        @Override
        public void denied(Context ctx, HttpServer.Denial denial) {
        }
      };
      Api api = new Api();
      api.post("/api/boom", Role.ADMIN, "fails with an Error", ctx -> {
        throw new OutOfMemoryError("Java heap space (thrown by the test)");
      });
      try (Authenticator authenticator = new Authenticator(tokens);
          HttpServer http = new HttpServer(new HttpServer.Options("127.0.0.1", 0, 4096, Map.of()), api, authenticator,
              new RateLimiter(false, 1, 1), auditor, (ctx, ms) -> {
              }).start()) {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http.port() + "/api/boom"))
            .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(actions).singleElement().satisfies(e -> {
          assertThat(e.action()).isEqualTo("api.post");
          assertThat(e.facts()).containsEntry("status", "500");
          assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
        });
      }
    }
  }
}
