package dev.vigil.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.TestServer;
import dev.vigil.server.auth.Role;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HEAD is GET without a body: the same authentication, role check, rate limit, audit and status. */
class HeadRequestTest {
  @TempDir
  Path dir;

  private static HttpResponse<String> head(TestServer s, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return s.send(b.build());
  }

  @Test
  void headAnswersAsGetWithoutABody() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("VIGIL_SERVER_RATE_LIMIT_TOKEN_PER_SECOND", "5",
        "DATABASE_URL", "sqlite://" + dir.resolve("app.db"), "ENABLE_BACKUP_SCHEDULER", "false"))) {
      String viewer = s.token(Role.VIEWER);
      for (String path : new String[] {"/api/audit", "/api/tokens", "/api/info", "/api/backup/list"}) {
        assertThat(head(s, path, null).statusCode()).as("HEAD %s without a token", path).isEqualTo(401);
        assertThat(s.get(path, null).statusCode()).isEqualTo(401);
      }
      assertThat(head(s, "/api/audit", viewer).statusCode()).isEqualTo(403);
      HttpResponse<String> ok = head(s, "/api/audit", s.adminToken);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEmpty();
      String missing = "/api/backup/backup_20200101_000000.sqlite.gz";
      assertThat(s.get(missing, s.adminToken).statusCode()).isEqualTo(404);
      assertThat(head(s, missing, s.adminToken).statusCode()).isEqualTo(404);
      assertThat(head(s, "/api/health", null).statusCode()).isEqualTo(200);

      // denials of HEAD are audited like those of GET
      assertThat(s.audited("access.denied")).anySatisfy(e -> {
        assertThat(e.path("resource").asText()).isEqualTo("route:HEAD /api/audit");
        assertThat(e.path("ip_address").asText("") + e.path("ip").asText("")).contains("127.0.0.1");
      });

      // and HEAD draws on the token's rate limit (5/s, bursts of 10)
      int limited = 0;
      for (int i = 0; i < 30; i++) {
        if (head(s, "/api/info", viewer).statusCode() == 429) {
          limited++;
        }
      }
      assertThat(limited).as("HEAD requests rate limited").isGreaterThan(0);
    }
  }
}
