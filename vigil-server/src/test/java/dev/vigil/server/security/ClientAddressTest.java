package dev.vigil.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.server.TestServer;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.ClientAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server.trusted_proxies}: forwarding headers name the client only when the peer is a trusted
 * proxy, so clients behind one proxy get their own rate limits; expensive routes cost more.
 */
class ClientAddressTest {
  @TempDir
  Path dir;

  private static HttpResponse<String> get(TestServer s, String path, String token, String forwardedFor)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(path)).header("X-Forwarded-For", forwardedFor);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return s.send(b.build());
  }

  @Test
  void forwardingHeadersAreBelievedOnlyFromTrustedProxies() {
    ClientAddress none = ClientAddress.trusting(null);
    assertThat(none.resolve("127.0.0.1", null, "203.0.113.9")).isEqualTo("127.0.0.1");
    ClientAddress nginx = ClientAddress.trusting("127.0.0.1/32, 10.0.0.0/8");
    assertThat(nginx.resolve("127.0.0.1", null, "203.0.113.9")).isEqualTo("203.0.113.9");
    // a client's own spoofed entry on the left is not believed past the first untrusted hop
    assertThat(nginx.resolve("127.0.0.1", null, "6.6.6.6, 203.0.113.9, 10.1.2.3")).isEqualTo("203.0.113.9");
    assertThat(nginx.resolve("192.0.2.7", null, "203.0.113.9")).as("untrusted peer").isEqualTo("192.0.2.7");
    assertThat(nginx.resolve("127.0.0.1", "for=\"[2001:db8::1]:4711\";proto=https, for=10.0.0.5", null))
        .isEqualTo("2001:db8::1");
    assertThat(nginx.resolve("127.0.0.1", null, "not-an-ip")).isEqualTo("127.0.0.1");
    assertThatThrownBy(() -> ClientAddress.trusting("10.0.0.0/33")).hasMessageContaining("10.0.0.0/33");
    assertThatThrownBy(() -> ClientAddress.trusting("example.com")).hasMessageContaining("example.com");
  }

  @Test
  void behindATrustedProxyEachClientHasItsOwnLimitAndAddress() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("VIGIL_SERVER_TRUSTED_PROXIES", "127.0.0.1/32",
        "VIGIL_SERVER_RATE_LIMIT_IP_PER_SECOND", "5"))) {
      int limitedA = 0;
      for (int i = 0; i < 40; i++) {
        if (get(s, "/api/health", null, "203.0.113.1").statusCode() == 429) {
          limitedA++;
        }
      }
      assertThat(limitedA).as("one client over its limit").isGreaterThan(0);
      assertThat(get(s, "/api/health", null, "203.0.113.2").statusCode()).as("another client behind the proxy")
          .isEqualTo(200);
      assertThat(get(s, "/api/info", null, "198.51.100.7").statusCode()).isEqualTo(401);
      assertThat(s.audited("access.denied")).anySatisfy(e ->
          assertThat(e.path("ip_address").asText()).isEqualTo("198.51.100.7"));
    }
  }

  @Test
  void withoutTrustedProxiesTheHeaderIsIgnored() throws Exception {
    try (TestServer s = TestServer.start(dir)) {
      assertThat(get(s, "/api/info", null, "198.51.100.7").statusCode()).isEqualTo(401);
      assertThat(s.audited("access.denied")).allSatisfy(e ->
          assertThat(e.path("ip_address").asText()).isEqualTo("127.0.0.1"));
    }
  }

  @Test
  void expensiveRoutesCostMoreThanCheapOnes() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("ENABLE_MONITORING", "true",
        "VIGIL_SERVER_RATE_LIMIT_EXPENSIVE_PER_SECOND", "10"))) {
      String viewer = s.token(Role.VIEWER);
      int ok = 0;
      int limited = 0;
      for (int i = 0; i < 10; i++) {
        int status = s.get("/api/monitoring/processes?top=100", viewer).statusCode();
        if (status == 200) {
          ok++;
        } else if (status == 429) {
          limited++;
        }
      }
      assertThat(ok).as("processes?top=100 (cost 7 of a budget of 10/s, bursts of 20)").isBetween(2, 5);
      assertThat(limited).isGreaterThan(0);
      HttpResponse<String> r = s.get("/api/monitoring/processes?top=100", viewer);
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.body()).contains("expensive").contains("/api/monitoring/processes");
      assertThat(r.headers().firstValue("Retry-After")).isPresent();
      for (int i = 0; i < 50; i++) {
        assertThat(s.get("/api/info", viewer).statusCode()).as("cheap routes stay open").isEqualTo(200);
      }
    }
  }
}
