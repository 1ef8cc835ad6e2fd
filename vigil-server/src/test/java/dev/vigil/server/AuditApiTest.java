package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail through the server, its REST routes and the offline CLI. */
class AuditApiTest {

  @Test
  void actionsAndDenialsAreAuditedAndReportedThenVerifiedOfflineByTheCli(@TempDir Path dir) throws Exception {
    String tokenId;
    try (TestServer s = TestServer.start(dir)) {
      String viewer = s.token(Role.VIEWER);
      tokenId = viewer.substring(4, 14);
      assertThat(s.get("/api/audit", viewer).statusCode()).isEqualTo(403);
      assertThat(s.get("/api/audit", null).statusCode()).isEqualTo(401);
      HttpResponse<String> revoke = s.send(HttpRequest.newBuilder(s.uri("/api/tokens/" + tokenId))
          .header("Authorization", "Bearer " + s.adminToken).DELETE().build());
      assertThat(revoke.statusCode()).isEqualTo(200);

      HttpResponse<String> invalid = s.send(HttpRequest.newBuilder(s.uri("/api/tokens"))
          .header("Authorization", "Bearer " + s.adminToken).header("X-Request-Id", "bad-body-1")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")).build());
      assertThat(invalid.statusCode()).isEqualTo(400);
      JsonNode generic = Json.MAPPER.readTree(s.get("/api/audit?action=api.post", s.adminToken).body())
          .path("events").get(0);
      assertThat(generic.path("resource").asText()).isEqualTo("route:POST /api/tokens");
      assertThat(generic.path("details").path("outcome").asText()).isEqualTo("failure");
      assertThat(generic.path("details").path("status").asText()).isEqualTo("400");
      assertThat(generic.path("details").path("request_id").asText()).isEqualTo("bad-body-1");

      JsonNode all = Json.MAPPER.readTree(s.get("/api/audit", s.adminToken).body());
      List<String> actions = all.path("events").findValuesAsText("action");
      assertThat(actions).containsSubsequence("token.create", "token.create", "access.denied", "access.denied",
          "token.revoke");
      JsonNode first = all.path("events").get(0);
      assertThat(first.path("user_id").asText()).isEqualTo("system");
      JsonNode create = all.path("events").get(1);
      assertThat(create.path("seq").asLong()).isEqualTo(2);
      assertThat(create.path("event_type").asText()).isEqualTo("TOKEN_CREATE");
      assertThat(create.path("resource").asText()).isEqualTo("token:" + tokenId);
      assertThat(create.path("ip_address").asText()).isEqualTo("127.0.0.1");
      assertThat(create.path("details").path("role").asText()).isEqualTo("viewer");
      assertThat(create.path("details").path("request_id").asText()).isNotEmpty();
      assertThat(create.path("prev_hash").asText()).isEqualTo(first.path("hash").asText());
      JsonNode denied = all.path("events").get(2);
      assertThat(denied.path("event_type").asText()).isEqualTo("ACCESS_DENIED");
      assertThat(denied.path("user_id").asText()).isEqualTo(tokenId);
      assertThat(denied.path("details").path("status").asInt()).isEqualTo(403);
      assertThat(all.path("events").get(3).path("user_id").asText()).isEqualTo("anonymous");

      JsonNode byUser = Json.MAPPER.readTree(s.get("/api/audit?user=" + tokenId + "&action=access.denied",
          s.adminToken).body());
      assertThat(byUser.path("events")).hasSize(1);
      JsonNode paged = Json.MAPPER.readTree(s.get("/api/audit?limit=2", s.adminToken).body());
      assertThat(paged.path("events")).hasSize(2);
      assertThat(paged.path("next_cursor").asText()).isEqualTo("2");
      JsonNode future = Json.MAPPER.readTree(s.get("/api/audit?from=2999-01-01T00:00:00Z", s.adminToken).body());
      assertThat(future.path("events")).isEmpty();
      HttpResponse<String> bad = s.get("/api/audit?from=yesterday", s.adminToken);
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("from");
      assertThat(s.get("/api/audit?user=a%20b", s.adminToken).statusCode()).isEqualTo(400);
      assertThat(s.get("/api/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", s.adminToken).statusCode())
          .isEqualTo(400);

      JsonNode verify = Json.MAPPER.readTree(s.get("/api/audit/verify", s.adminToken).body());
      assertThat(verify.path("ok").asBoolean()).isTrue();
      assertThat(verify.path("status").asText()).isEqualTo("intact");
    }

    Path cfg = dir.resolve("vigil.yml");
    Files.writeString(cfg, "data_dir: " + dir.resolve("data") + "\nlogging:\n  dir: " + dir.resolve("logs") + "\n");
    CliTest.Result ok = CliTest.run("audit", "verify", "--config", cfg.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("intact: 6 records");

    CliTest.Result created = CliTest.run("token", "create", "--role", "operator", "--name", "ops", "--config",
        cfg.toString());
    assertThat(created.code()).isZero();
    CliTest.Result report = CliTest.run("audit", "report", "--from", "2020-01-01", "--to", "2999-01-01", "--action",
        "token.create", "--config", cfg.toString());
    assertThat(report.code()).as(report.err()).isZero();
    assertThat(report.lines()).hasSize(4);
    assertThat(report.lines().get(0)).startsWith("SEQ").contains("ACTION");
    assertThat(report.lines().get(3)).contains("cli:").contains("token.create").contains("success");
    CliTest.Result summary = CliTest.run("audit", "report", "--format", "summary", "--config", cfg.toString());
    assertThat(summary.out()).contains("7 audit records").contains("access.denied=2").contains("token.create=3");
    CliTest.Result json = CliTest.run("audit", "report", "--format", "json", "--user", tokenId, "--config",
        cfg.toString());
    assertThat(Json.MAPPER.readTree(json.out())).hasSize(1);
    CliTest.Result badDate = CliTest.run("audit", "report", "--from", "soon", "--config", cfg.toString());
    assertThat(badDate.code()).isEqualTo(2);
    assertThat(badDate.err()).contains("--from");

    Path file = dir.resolve("logs/vigil_audit.log");
    Files.writeString(file, Files.readString(file).replace("\"token.revoke\"", "\"token.revokd\""));
    CliTest.Result tampered = CliTest.run("audit", "verify", "--config", cfg.toString());
    assertThat(tampered.code()).isEqualTo(1);
    assertThat(tampered.out()).contains("TAMPERED at seq 5").contains("hash mismatch");
    CliTest.Result tamperedJson = CliTest.run("audit", "verify", "--format", "json", "--config", cfg.toString());
    assertThat(Json.MAPPER.readTree(tamperedJson.out()).path("first_bad_seq").asLong()).isEqualTo(5);
  }
}
