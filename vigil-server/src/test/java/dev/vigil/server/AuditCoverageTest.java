package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.ApiRoute;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.RequestIds;
import io.javalin.http.HandlerType;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full audit coverage (seed 000 §10): EVERY mutating route of the route table — whichever module
 * added it — called as admin with {@code {}} (path params {@code zzzzzzzzzz}) leaves exactly one
 * audit record carrying its request id (the handler's own, or the generic one with outcome and
 * status); and the same call without a token or with too low a role leaves exactly one denial.
 */
class AuditCoverageTest {
  @TempDir
  static Path dir;
  static TestServer s;

  @BeforeAll
  static void start() throws Exception {
    s = TestServer.start(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    s.close();
  }

  @Test
  void everyMutatingRouteLeavesExactlyOneRecordPerCall() throws Exception {
    List<ApiRoute> mutating = s.server.api().routes().stream().filter(r -> r.method() != HandlerType.GET).toList();
    assertThat(mutating).isNotEmpty();
    String viewer = s.token(Role.VIEWER);
    List<String> failures = new ArrayList<>();
    for (ApiRoute route : mutating) {
      String path = route.path().replaceAll("\\{[^}]+}", "zzzzzzzzzz");
      expectOne(failures, route, path, s.adminToken, null);
      expectOne(failures, route, path, null, "ACCESS_DENIED");
      if (route.role() != Role.VIEWER) {
        expectOne(failures, route, path, viewer, "ACCESS_DENIED");
      }
    }
    assertThat(failures).isEmpty();
    JsonNode verify = Json.MAPPER.readTree(s.get("/api/audit/verify", s.adminToken).body());
    assertThat(verify.path("ok").asBoolean()).as(verify.toString()).isTrue();
  }

  private static void expectOne(List<String> failures, ApiRoute route, String path, String token, String eventType)
      throws Exception {
    String requestId = "cov-" + UUID.randomUUID().toString().substring(0, 8);
    HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(path)).header(RequestIds.HEADER, requestId)
        .header("Content-Type", "application/json")
        .method(route.method().name(), route.method() == HandlerType.DELETE
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = s.send(b.build());
    String id = r.headers().firstValue(RequestIds.HEADER).orElse(requestId);
    List<JsonNode> records = recordsWithRequestId(id);
    String who = route.method() + " " + path + " as " + (token == null ? "nobody" : token.substring(0, 14))
        + " -> " + r.statusCode();
    if (records.size() != 1) {
      failures.add(who + ": " + records.size() + " audit records " + records);
      return;
    }
    JsonNode rec = records.get(0);
    if (eventType != null && !eventType.equals(rec.path("event_type").asText())) {
      failures.add(who + ": expected " + eventType + " but got " + rec);
    }
    String outcome = rec.path("details").path("outcome").asText();
    boolean failed = r.statusCode() >= 400;
    if (failed && outcome.equals("success")) {
      failures.add(who + ": a failed call recorded as success " + rec);
    }
  }

  private static List<JsonNode> recordsWithRequestId(String requestId) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = Json.MAPPER.readTree(s.get("/api/audit?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor),
          s.adminToken).body());
      for (JsonNode e : page.path("events")) {
        if (requestId.equals(e.path("details").path("request_id").asText())) {
          out.add(e);
        }
      }
      cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
    } while (cursor != null);
    return out;
  }
}
