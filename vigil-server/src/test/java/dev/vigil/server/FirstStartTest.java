package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.auth.AdminToken;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstStartTest {

  @Test
  void startsInAnEmptyDirectoryServingWithAnAdminTokenWritten0600(@TempDir Path dir) throws Exception {
    try (TestServer s = TestServer.start(dir)) {
      Path tokenFile = dir.resolve("data").resolve(AdminToken.FILE);
      assertThat(tokenFile).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
      assertThat(Files.readString(tokenFile).trim()).isEqualTo(s.adminToken);
      assertThat(s.printed).contains(s.adminToken);
      assertThat(dir.resolve("data").resolve("vigil.db")).exists();

      HttpResponse<String> health = s.get("/api/health", null);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
      HttpResponse<String> info = s.get("/api/info", s.adminToken);
      assertThat(info.statusCode()).isEqualTo(200);
      assertThat(info.body()).contains("\"version\"").contains("\"uptime_seconds\"").contains("\"features\"");
    }
    try (TestServer again = TestServer.start(dir)) {
      assertThat(again.server.createdAdminToken()).isEmpty();
      assertThat(again.get("/api/info", again.adminToken).statusCode()).isEqualTo(200);
    }
  }
}
