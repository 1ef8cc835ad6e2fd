package dev.vigil.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The proxy in front of a real Express (Node) application and a real PHP application. */
class ExpressAndPhpTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestApps.App express;
  static TestApps.App php;
  static AppProxy toExpress;
  static AppProxy toPhp;

  @BeforeAll
  static void start() throws Exception {
    express = TestApps.express();
    php = TestApps.php(1);
    toExpress = AppProxy.start(ProxyConfig.builder(express.url()).listen("127.0.0.1", 0).build(), null, null, Clock.systemUTC());
    toPhp = AppProxy.start(ProxyConfig.builder(php.url()).listen("127.0.0.1", 0).build(), null, null, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    toExpress.close();
    toPhp.close();
    express.close();
    php.close();
  }

  private static String e(String path) {
    return "http://127.0.0.1:" + toExpress.port() + path;
  }

  private static String p(String path) {
    return "http://127.0.0.1:" + toPhp.port() + path;
  }

  @Test
  void expressEtagsAreKeptAndItsOwn304PassesThrough() throws Exception {
    HttpResponse<String> r = Http.get(e("/items/4"), "x-no-compression", "1");
    assertThat(r.statusCode()).isEqualTo(200);
    String etag = r.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).startsWith("W/"); // Express's own weak ETag, untouched
    assertThat(Http.get(e("/items/4"), "If-None-Match", etag, "x-no-compression", "1").statusCode()).isEqualTo(304);
    assertThat(JSON.readTree(r.body()).get("id").asInt()).isEqualTo(4);
  }

  @Test
  void expressMethodsLocationAndChunkedStreams() throws Exception {
    HttpResponse<String> created = Http.send("POST", e("/items"), "{\"name\":\"n\"}", "Content-Type", "application/json");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue("/items/7");
    assertThat(JSON.readTree(created.body()).get("created").get("name").asText()).isEqualTo("n");
    assertThat(Http.send("PUT", e("/items/3"), "x").statusCode()).isEqualTo(204);
    assertThat(Http.send("DELETE", e("/items/3"), null).statusCode()).isEqualTo(410);
    HttpResponse<String> stream = Http.get(e("/stream"));
    assertThat(stream.body()).isEqualTo("line 0\nline 1\nline 2\nline 3\nline 4\n");
    assertThat(toExpress.routes()).extracting(RouteStats::route).contains("/items/{id}");
  }

  @Test
  void webSocketsPassThrough() throws Exception {
    LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
    WebSocket ws = Http.CLIENT.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + toExpress.port() + "/ws"),
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            got.add(data.toString());
            webSocket.request(1);
            return null;
          }

          private int binary;

          @Override
          public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            binary += data.remaining();
            if (last) {
              got.add("binary:" + binary);
              binary = 0;
            }
            webSocket.request(1);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("hello 127.0.0.1");
    ws.sendText("ping", true).get(5, TimeUnit.SECONDS);
    assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:ping");
    ws.sendBinary(ByteBuffer.wrap(new byte[100_000]), true).get(5, TimeUnit.SECONDS);
    assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("binary:100000");
    assertThat(toExpress.summary().webSockets()).isEqualTo(1);
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> toExpress.summary().webSockets() == 0);
    // a plain GET to the WebSocket path still works as HTTP
    assertThat(Http.get(e("/ws")).statusCode()).isLessThan(500);
  }

  @Test
  void phpPagesFormsAndCompression() throws Exception {
    HttpResponse<byte[]> page = Http.getBytes(p("/hello"), "Accept-Encoding", "gzip");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Encoding")).hasValue("gzip");
    String html = new String(new GZIPInputStream(new ByteArrayInputStream(page.body())).readAllBytes());
    assertThat(html).contains("Hello from PHP");
    HttpResponse<String> plain = Http.get(p("/hello"), "Accept-Encoding", "gzip", "x-no-compression", "1");
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(plain.body()).contains("Hello from PHP");

    HttpResponse<String> form = Http.send("POST", p("/form"), "name=Nouf+ERP&x=1",
        "Content-Type", "application/x-www-form-urlencoded");
    JsonNode j = JSON.readTree(form.body());
    assertThat(j.get("name").asText()).isEqualTo("Nouf ERP");
    HttpResponse<String> headers = Http.get(p("/headers"), "X-Custom", "v");
    JsonNode h = JSON.readTree(headers.body());
    assertThat(h.get("X-Custom").asText()).isEqualTo("v");
    assertThat(h.get("X-Forwarded-For").asText()).isEqualTo("127.0.0.1");
    assertThat(headers.headers().firstValue("X-Powered-By")).hasValue("php-test");
    assertThat(Http.get(p("/nothing")).statusCode()).isEqualTo(404);
  }
}
