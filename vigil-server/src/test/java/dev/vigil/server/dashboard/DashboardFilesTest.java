package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.TestServer;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.HttpServer;
import dev.vigil.server.http.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's files over HTTP: public, under the CSP, gzipped, with matching message catalogs. */
class DashboardFilesTest {
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
  void thePageIsServedWithoutATokenUnderTheCspWithNoInlineScriptOrStyle() throws Exception {
    HttpResponse<String> page = s.get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(HttpServer.CSP);
    assertThat(page.body()).contains("<script type=\"module\" src=\"/js/main.js\"></script>")
        .doesNotContain("<style").doesNotContain("style=\"").doesNotContainPattern("<script(?![^>]*\\bsrc=)")
        .doesNotContainPattern("\\son[a-z]+=");
    assertThat(page.body()).contains(">English<").contains(">العربية<");
  }

  @Test
  void scriptsAndTheChartLibraryAreGzipped() throws Exception {
    for (String path : new String[] {"/js/main.js", "/webjars/uplot/1.6.30/dist/uPlot.esm.js", "/dashboard.css"}) {
      HttpResponse<byte[]> r = s.client.send(HttpRequest.newBuilder(s.uri(path)).header("Accept-Encoding", "gzip").build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Encoding")).as(path).hasValue("gzip");
    }
  }

  @Test
  void bothCatalogsHaveTheSameKeysAndNoEmptyMessage() throws Exception {
    JsonNode en = Json.MAPPER.readTree(s.get("/i18n/en.json", null).body());
    JsonNode ar = Json.MAPPER.readTree(s.get("/i18n/ar.json", null).body());
    assertThat(keys(ar)).isEqualTo(keys(en)).hasSizeGreaterThan(100);
    ar.fields().forEachRemaining(e -> assertThat(e.getValue().asText()).as(e.getKey()).isNotBlank());
  }

  @Test
  void whoamiNamesTheCallersRole() throws Exception {
    JsonNode me = Json.MAPPER.readTree(s.get("/api/whoami", s.token(Role.OPERATOR)).body());
    assertThat(me.path("role").asText()).isEqualTo("operator");
    assertThat(me.path("roles").toString()).as("the roles whose routes it may use").isEqualTo("[\"viewer\",\"operator\"]");
    assertThat(me.path("id").asText()).matches("[a-z0-9]{10}");
    assertThat(s.get("/api/whoami", null).statusCode()).isEqualTo(401);
  }

  private static Set<String> keys(JsonNode n) {
    Set<String> out = new HashSet<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
      out.add(it.next());
    }
    return out;
  }
}
