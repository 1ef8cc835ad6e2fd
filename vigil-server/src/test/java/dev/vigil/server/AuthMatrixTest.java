package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.ApiRoute;
import dev.vigil.server.http.Json;
import io.javalin.router.ParsedEndpoint;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route Javalin actually has, called with no token, a bad token and each role: public routes
 * answer everyone, the rest 401 without a good token, 403 below their role, and never 401/403/5xx at
 * or above it. A route added without a role, or missing from the OpenAPI description, fails here.
 */
class AuthMatrixTest {
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

  private static List<ParsedEndpoint> javalinRoutes() {
    return s.server.http().javalin().unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
        .filter(e -> e.getEndpoint().getMethod().isHttpMethod())
        .collect(Collectors.toList());
  }

  @Test
  void everyJavalinRouteIsInTheTableAndTheOpenApiDescription() throws Exception {
    Set<String> table = s.server.api().routes().stream().map(r -> r.method() + " " + r.path())
        .collect(Collectors.toSet());
    JsonNode doc = Json.MAPPER.readTree(s.get("/api/openapi.json", s.adminToken).body());
    List<ParsedEndpoint> routes = javalinRoutes();
    assertThat(routes).hasSizeGreaterThanOrEqualTo(6);
    for (ParsedEndpoint e : routes) {
      String key = e.getEndpoint().getMethod() + " " + e.getEndpoint().getPath();
      assertThat(table).as("route table").contains(key);
      JsonNode op = doc.path("paths").path(e.getEndpoint().getPath())
          .path(e.getEndpoint().getMethod().name().toLowerCase(Locale.ROOT));
      assertThat(op.isObject()).as("OpenAPI operation for " + key).isTrue();
      assertThat(op.path("x-vigil-role").asText()).isNotEmpty();
    }
  }

  @Test
  void everyRouteAgainstEveryCaller() throws Exception {
    List<String> failures = new ArrayList<>();
    for (ApiRoute route : s.server.api().routes()) {
      String path = route.path().replaceAll("\\{[^}]+}", "zzzzzzzzzz");
      check(failures, route, path, "none", null);
      check(failures, route, path, "bad", "vgl_aaaaaaaaaa_" + "A".repeat(43));
      for (Role role : Role.values()) {
        check(failures, route, path, role.label(), s.token(role));
      }
    }
    assertThat(failures).isEmpty();
  }

  private static void check(List<String> failures, ApiRoute route, String path, String who, String token)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(path)).header("Content-Type", "application/json")
        .method(route.method().name(), route.method().name().equals("GET") || route.method().name().equals("DELETE")
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = s.send(b.build());
    int status = r.statusCode();
    String where = route.method() + " " + route.path() + " as " + who + " -> " + status + " " + r.body();
    if (status >= 500) {
      failures.add(where);
    } else if (route.isPublic()) {
      if (status == 401 || status == 403) {
        failures.add(where);
      }
    } else if (token == null || who.equals("bad")) {
      if (status != 401) {
        failures.add(where);
      }
    } else {
      boolean allowed = route.allows(Role.parse(who));
      if (allowed && (status == 401 || status == 403)) {
        failures.add(where);
      } else if (!allowed && status != 403) {
        failures.add(where);
      }
    }
  }
}
