package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.config.Setting;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.server.auth.Role;
import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.Features;
import dev.vigil.server.http.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server as a list of features: declared settings, one "not enabled" answer, health in /api/info. */
class FeatureSeamTest {

  @Test
  void everyFeatureHasAUniqueNameAndEveryDeclaredSettingIsLoaded() {
    VigilConfig config = Features.loadConfig(null, Map.of());
    Set<String> names = new HashSet<>();
    for (Feature f : Features.ALL) {
      assertThat(names.add(f.name())).as("feature name " + f.name() + " is unique").isTrue();
      for (Setting<?> s : f.settings()) {
        assertThat(config.declared(s)).as(f.name() + " declares " + s.key()).isTrue();
      }
    }
  }

  @Test
  void aFeatureThatIsOffAnswersTheOneNotEnabledErrorUnderItsPaths(@TempDir Path dir) throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("ENABLE_MONITORING", "false"))) {
      String viewer = s.token(Role.VIEWER);
      for (String path : new String[] {"/api/monitoring/health", "/api/monitoring/anything/else"}) {
        HttpResponse<String> r = s.get(path, viewer);
        assertThat(r.statusCode()).as(path).isEqualTo(409);
        JsonNode error = Json.MAPPER.readTree(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("not_enabled");
        assertThat(error.path("message").asText()).contains("monitoring").contains("ENABLE_MONITORING");
      }
      assertThat(s.get("/api/monitoring/health", null).statusCode()).isEqualTo(401);
      JsonNode info = Json.MAPPER.readTree(s.get("/api/info", viewer).body());
      assertThat(info.path("features").path("monitoring").asBoolean(true)).isFalse();
      assertThat(info.path("features").path("backups").asBoolean(true)).as("no database is configured").isFalse();
      assertThat(info.path("health").path("cache").path("status").asText()).isEqualTo("up");
      assertThat(info.path("health").has("monitoring")).isFalse();
    }
  }
}
