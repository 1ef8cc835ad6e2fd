package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At least 200 malformed requests sent as raw bytes: broken JSON, huge headers and bodies,
 * traversal strings, encoded nulls, wrong types and methods. None may get a 5xx or a stack trace.
 */
class HostileInputTest {
  @TempDir
  static Path dir;
  static TestServer s;

  @BeforeAll
  static void start() {
    s = TestServer.start(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    s.close();
  }

  @Test
  void noFiveHundredAndNoStackTraceForAnyMalformedRequest() throws Exception {
    List<String> requests = new ArrayList<>();
    String auth = "Authorization: Bearer " + s.adminToken + "\r\n";
    String[] paths = {"/api/../../etc/passwd", "/api/%2e%2e/%2e%2e/etc/passwd", "/api/tokens/..%2F..%2Fetc",
        "/api/tokens/%00", "/api/tokens/a%00b", "/%00", "/api/info%00", "/api/tokens/" + "a".repeat(5000),
        "/api/tokens?limit=-1", "/api/tokens?limit=99999999999999", "/api/tokens?cursor=abc",
        "/api/tokens?limit=%00", "/api/info?x=%ZZ", "/api/tokens/%c0%ae%c0%ae", "//api//info", "/api/info/../tokens",
        "/api/openapi.json?%", "/..;/api/info", "/api/tokens/{id}", "/api/tokens/%7Bid%7D", "/\\..\\..\\windows",
        "/api/tokens/;rm -rf", "/api/tokens/'; DROP TABLE vigil_token; --", "/api/info?limit=1e9"};
    String[] bodies = {"{", "}", "[", "null", "true", "1", "\"x\"", "{\"name\":}", "{\"name\":\"a\",}",
        "{\"name\":1,\"role\":2}", "{\"name\":null,\"role\":null}", "{\"name\":\"a\",\"role\":\"admin\",\"x\":1}",
        "{\"name\":\"\u0000\",\"role\":\"viewer\"}", "{\"name\":\"../../x\",\"role\":\"viewer\"}",
        "{\"name\":{\"a\":{\"b\":{}}},\"role\":[]}", "\u0000\u0001\u0002", "<xml/>", "{\"name\":\"a\"" + ",\"a\":1".repeat(50) + "}",
        "[" .repeat(5000), "{\"name\":\"" + "\\u0000".repeat(100) + "\",\"role\":\"viewer\"}",
        "{\"name\":\"x\",\"role\":\"viewer\"" + " ".repeat(100) + "}", "{\"role\":\"" + "a".repeat(3000) + "\"}"};
    String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO", "CONNECT"};
    for (String path : paths) {
      for (String method : new String[] {"GET", "DELETE", "POST"}) {
        requests.add(method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 2\r\n\r\n{}");
      }
    }
    for (String body : bodies) {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      requests.add("POST /api/tokens HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\n"
          + "Content-Length: " + b.length + "\r\n\r\n" + body);
      requests.add("POST /api/tokens HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: text/plain\r\n"
          + "Content-Length: " + b.length + "\r\n\r\n" + body);
      requests.add("POST /api/tokens HTTP/1.1\r\nHost: x\r\n" + auth
          + "Content-Type: application/json; charset=utf-16\r\nContent-Length: " + (b.length + 10) + "\r\n\r\n" + body);
    }
    for (String method : methods) {
      for (String path : new String[] {"/api/info", "/api/tokens", "/api/health", "/api/tokens/abcdefghij", "/"}) {
        requests.add(method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 0\r\n\r\n");
      }
    }
    requests.add("GET /api/info HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(70_000) + "\r\n\r\n");
    requests.add("GET /api/info HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + "a".repeat(20_000) + "\r\n\r\n");
    requests.add("GET /api/info HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\n\r\n");
    requests.add("GET /api/info HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\r\n\r\n");
    requests.add("GET /api/info HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer vgl_../../../_x\r\n\r\n");
    requests.add("POST /api/tokens HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 5000000\r\n\r\n{\"a\":1}");
    requests.add("POST /api/tokens HTTP/1.1\r\nHost: x\r\n" + auth + "Transfer-Encoding: chunked\r\n\r\n"
        + "ffffff\r\n" + "a".repeat(8000) + "\r\n0\r\n\r\n");
    requests.add("POST /api/tokens HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: abc\r\n\r\n{}");
    requests.add("POST /api/tokens HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: -5\r\n\r\n{}");
    requests.add("GET /api/info HTTP/9.9\r\nHost: x\r\n\r\n");
    requests.add("GET\r\n\r\n");
    requests.add("\u0000\u0001\u0002\u0003 / HTTP/1.1\r\n\r\n");
    requests.add("GET /api/info HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n");
    requests.add("GET /api/info HTTP/1.1\r\nHost: x\r\nX-Null: a\u0000b\r\n\r\n");
    requests.add("GET /api/health?" + "a=1&".repeat(3000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    requests.add("GET /api/tokens?limit=1&limit=2&limit=%FF HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
    requests.add("GET /api/info HTTP/1.1\r\nHost: x\r\nX-Request-Id: " + "\u00e9".repeat(300) + "\r\n" + auth + "\r\n");
    requests.add("GET /api/info HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + "\"a\",".repeat(2000) + "\r\n" + auth
        + "\r\n");

    assertThat(requests.size()).isGreaterThanOrEqualTo(200);
    // One deliberate exception: Jetty's parser answers an unknown HTTP version with 505, the status
    // RFC 9110 defines for exactly that; it is checked to be that answer and nothing else.
    List<String> failures = new ArrayList<>();
    for (String request : requests) {
      String response = exchange(request);
      String statusLine = response.lines().findFirst().orElse("");
      String shown = request.length() > 80 ? request.substring(0, 80) : request;
      boolean unsupportedVersion = request.startsWith("GET /api/info HTTP/9.9")
          && statusLine.startsWith("HTTP/1.1 505");
      if (statusLine.matches("HTTP/1\\.[01] 5\\d\\d.*") && !unsupportedVersion) {
        failures.add("5xx for " + shown.replace("\r\n", "\\r\\n") + ": " + statusLine);
      }
      if (response.contains("\tat ") || response.contains("Exception") || response.contains(".java:")) {
        failures.add("stack trace for " + shown.replace("\r\n", "\\r\\n") + ": " + response.substring(0,
            Math.min(300, response.length())));
      }
    }
    assertThat(failures).isEmpty();
    assertThat(s.get("/api/health", null).statusCode()).isEqualTo(200);
  }

  private static String exchange(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", s.server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        socket.shutdownOutput();
      } catch (java.io.IOException e) {
        // the server may close the connection before reading a body it refuses; its answer is still read
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      try {
        int n;
        while ((n = in.read(chunk)) > 0 && buf.size() < 1_000_000) {
          buf.write(chunk, 0, n);
        }
      } catch (java.net.SocketException e) {
        // connection reset after the answer was sent: what was read is the answer
      }
      return buf.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
