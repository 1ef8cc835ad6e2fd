package dev.vigil.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.store.StateStore;
import dev.vigil.server.TestServer;
import dev.vigil.server.auth.Role;
import dev.vigil.server.auth.TokenStore;
import dev.vigil.server.http.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the log disk full, an action that cannot be audited is refused before it takes effect (503),
 * reads and refusals keep working, and actions resume by themselves when space returns. The log dir is
 * a 3 MB tmpfs mounted by the test (root only: skipped where {@code mount} is not permitted, failed under
 * {@code CI=true}).
 */
class LogDiskFullTest {
  @TempDir
  Path dir;

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish");
    }
    if (p.exitValue() != 0) {
      System.err.println(String.join(" ", command) + ": " + out.trim());
    }
    return p.exitValue();
  }

  private static HttpResponse<String> createToken(TestServer s, String name) throws Exception {
    return s.send(HttpRequest.newBuilder(s.uri("/api/tokens")).header("Authorization", "Bearer " + s.adminToken)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"role\":\"admin\"}")).build());
  }

  private static int tokenCount(TestServer s) throws Exception {
    return Json.MAPPER.readTree(s.get("/api/tokens?limit=1000", s.adminToken).body()).path("total").asInt();
  }

  private static void fill(Path file) {
    byte[] block = new byte[16 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException full) {
      // No space left on device: what the test wants
    }
  }

  @Test
  void aFullLogDiskRefusesActionsKeepsReadsAndRecoversWithoutARestart() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    int mounted = run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", logs.toString());
    if (mounted != 0) {
      assertThat(System.getenv("CI")).as("mounting a tmpfs for the log dir failed under CI").isNotEqualTo("true");
      Assumptions.abort("cannot mount a tmpfs here (not root?); the disk-full test needs one");
    }
    try (TestServer s = TestServer.start(dir, Map.of("LOG_DIR", logs.toString()))) {
      String viewer = s.token(Role.VIEWER);
      int before = tokenCount(s);
      Path filler = logs.resolve("filler");
      fill(filler);
      // a little more is written by the server's own logs; fill again so nothing is left
      fill(logs.resolve("filler2"));

      assertThat(s.get("/api/health", null).statusCode()).isEqualTo(200);
      assertThat(s.get("/api/info", viewer).statusCode()).isEqualTo(200);
      assertThat(s.get("/api/info", null).statusCode()).as("a refusal is not a 500").isEqualTo(401);
      assertThat(s.get("/api/audit?limit=5", s.adminToken).statusCode()).isEqualTo(200);

      HttpResponse<String> refused = createToken(s, "while full");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(refused.body()).contains("audit_unavailable").contains("cannot be audited");
      assertThat(tokenCount(s)).as("no token created without its audit record").isEqualTo(before);
      HttpResponse<String> revoke = s.send(HttpRequest.newBuilder(s.uri("/api/tokens/" + viewer.substring(4, 14)))
          .header("Authorization", "Bearer " + s.adminToken).DELETE().build());
      assertThat(revoke.statusCode()).isEqualTo(503);
      assertThat(s.get("/api/info", viewer).statusCode()).isEqualTo(200);

      Files.delete(filler);
      Files.delete(logs.resolve("filler2"));
      HttpResponse<String> created = createToken(s, "after space returned");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String id = Json.MAPPER.readTree(created.body()).path("info").path("id").asText();
      assertThat(s.audited("token.create")).extracting(e -> e.path("resource").asText()).contains("token:" + id);
      JsonNode verify = Json.MAPPER.readTree(s.get("/api/audit/verify", s.adminToken).body());
      assertThat(verify.path("ok").asBoolean()).as(verify.toString()).isTrue();
    } finally {
      run("umount", "-l", logs.toString());
    }
  }

  @Test
  void aTokenWhoseAuditRecordFailsIsNotCreated() throws Exception {
    try (StateStore store = StateStore.open(null, dir)) {
      TokenStore tokens = new TokenStore(store, Clock.systemUTC());
      assertThatThrownBy(() -> tokens.create("unaudited", Role.ADMIN, issued -> {
        throw new IllegalStateException("audit log full");
      })).hasMessageContaining("audit log full");
      assertThat(tokens.list()).isEmpty();
    }
  }
}
