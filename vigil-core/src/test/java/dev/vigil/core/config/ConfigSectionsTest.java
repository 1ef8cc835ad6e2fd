package dev.vigil.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings and structured sections that server features declare on top of the core settings. */
class ConfigSectionsTest {
  private static final Setting<String> UPSTREAM = Setting.of("proxy.upstream", ValueParser.text(), null,
      "the application behind the proxy");

  @Test
  void aDeclaredSectionKeepsListsAndMapsAndResolvesEnvironmentReferences(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(file, """
        proxy:
          upstream: http://127.0.0.1:5000
          cache:
            rules:
              - {path: "/api/projects/*", ttl: 30s, tags: [projects]}
        alerts:
          receivers:
            hook: {type: webhook, url: "https://hooks.example/x", secret: "${HOOK_SECRET}"}
        """);
    VigilConfig c = ConfigLoader.load(file, Map.of("HOOK_SECRET", "s3cr3t"), List.of(UPSTREAM),
        List.of("proxy.cache.rules", "alerts"));
    assertThat(c.get(UPSTREAM)).isEqualTo("http://127.0.0.1:5000");
    JsonNode rules = c.section("proxy.cache.rules").orElseThrow();
    assertThat(rules.isArray()).isTrue();
    assertThat(rules.get(0).path("tags").get(0).asText()).isEqualTo("projects");
    assertThat(c.section("alerts").orElseThrow().at("/receivers/hook/secret").asText()).isEqualTo("s3cr3t");
    assertThat(c.section("probes")).isEmpty();
    assertThat(c.entries()).extracting(VigilConfig.Entry::key).contains("proxy.upstream");
  }

  @Test
  void anUnsetReferenceNamesTheKeyAndVariableButNoValue(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(file, "alerts:\n  receivers:\n    hook: {secret: \"${MISSING_SECRET}\"}\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), List.of(), List.of("alerts")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("alerts.receivers.hook.secret").hasMessageContaining("MISSING_SECRET");
  }

  @Test
  void listsOutsideDeclaredSectionsAndUndeclaredKeysAreRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(file, "proxy:\n  routes: [\"/a/{id}\"]\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), List.of(UPSTREAM), List.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("proxy.routes");
    VigilConfig core = ConfigLoader.load(null, Map.of());
    assertThatThrownBy(() -> core.find(UPSTREAM)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("proxy.upstream").hasMessageContaining("not declared");
  }

  @Test
  void aKeyDeclaredTwiceIsAProgrammingError() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(UPSTREAM, UPSTREAM), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proxy.upstream");
  }
}
