package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimitTest {

  @Test
  void perIpAndPerTokenLimitsAnswer429WithRetryAfter(@TempDir Path dir) throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("VIGIL_SERVER_RATE_LIMIT_IP_PER_SECOND", "5",
        "VIGIL_SERVER_RATE_LIMIT_TOKEN_PER_SECOND", "3"))) {
      HttpResponse<String> limited = null;
      for (int i = 0; i < 50 && limited == null; i++) {
        HttpResponse<String> r = s.get("/api/health", null);
        if (r.statusCode() == 429) {
          limited = r;
        }
      }
      assertThat(limited).as("the IP limit trips within 50 requests").isNotNull();
      assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
          assertThat(Integer.parseInt(v)).isPositive());
      assertThat(limited.body()).contains("rate_limited");

      HttpResponse<String> tokenLimited = null;
      for (int i = 0; i < 50 && tokenLimited == null; i++) {
        HttpResponse<String> r = s.get("/api/info", s.adminToken);
        if (r.statusCode() == 429) {
          tokenLimited = r;
        }
      }
      assertThat(tokenLimited).as("the token limit trips within 50 requests").isNotNull();
      assertThat(tokenLimited.body()).contains("for this token");
      assertThat(tokenLimited.headers().firstValue("Retry-After")).isPresent();
    }
  }
}
