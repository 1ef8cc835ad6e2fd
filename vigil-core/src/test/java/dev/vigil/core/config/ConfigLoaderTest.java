package dev.vigil.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

  @Test
  void defaultsMatchTheSpec() {
    VigilConfig c = ConfigLoader.load(null, Map.of());
    assertThat(c.get(Settings.SERVER_BIND)).isEqualTo("127.0.0.1");
    assertThat(c.get(Settings.SERVER_PORT)).isEqualTo(8080);
    assertThat(c.dataDir()).isEqualTo(Path.of("./vigil-data"));
    assertThat(c.find(Settings.STORE_URL)).isEmpty();
    assertThat(c.databases()).isEmpty();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "DATABASE_URL, postgresql://u:p@db/erp, backup.database_url, postgresql://u:p@db/erp",
      "VIGIL_PORT, 9090, server.port, 9090",
      "VIGIL_BIND, 0.0.0.0, server.bind, 0.0.0.0",
      "VIGIL_DATA_DIR, /tmp/vd, data_dir, /tmp/vd",
      "VIGIL_STORE_URL, postgresql://postgres@127.0.0.1/vigil, store.url, postgresql://postgres@127.0.0.1/vigil",
      "VIGIL_SERVER_MAX_BODY_BYTES, 4KB, server.max_body_bytes, 4096",
  })
  void everySeedVariableChangesTheEffectiveConfig(String env, String value, String key, String expected) {
    VigilConfig defaults = ConfigLoader.load(null, Map.of());
    VigilConfig c = ConfigLoader.load(null, Map.of(env, value));
    Setting<?> setting = Settings.ALL.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
    assertThat(String.valueOf(c.find(setting).orElse(null))).isEqualTo(expected);
    assertThat(c.find(setting)).isNotEqualTo(defaults.find(setting));
    VigilConfig.Entry entry = c.entries().stream().filter(e -> e.key().equals(key)).findFirst().orElseThrow();
    assertThat(entry.source()).isEqualTo(VigilConfig.Source.ENVIRONMENT);
    assertThat(entry.origin()).isEqualTo(env);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "DATABASE_URL, oracle://x, a postgresql://",
      "VIGIL_PORT, http, an integer from 0 to 65535",
      "VIGIL_BIND, 'a b', a host name",
  })
  void everyBadValueGivesOneLineNamingKeyValueAndAllowed(String env, String value, String allowed) {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(env, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(env)
        .hasMessageContaining("'" + value + "'")
        .hasMessageContaining("allowed " + allowed)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void secretsAreMaskedInErrorsAndEntries() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("DATABASE_URL", "oracle://scott:tiger@db/x")))
        .hasMessageNotContaining("tiger").hasMessageContaining("****");
    VigilConfig c = ConfigLoader.load(null, Map.of("VIGIL_STORE_URL", "postgresql://vigil:hunter2@db/vigil",
        "DATABASE_URL", "postgresql://app:s3cret@db:5432/erp"));
    assertThat(c.entries().toString()).doesNotContain("hunter2").doesNotContain("s3cret");
    assertThat(c.databases()).containsEntry("default", "postgresql://app:s3cret@db:5432/erp");
  }

  @Test
  void yamlFileIsReadAndEnvironmentWins(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(file, """
        server:
          port: 9191
          bind: 0.0.0.0
        backup:
          databases:
            erp: postgresql://erp@127.0.0.1/erp
            shop: sqlite:///srv/shop.db
        """);
    VigilConfig c = ConfigLoader.load(file, Map.of("VIGIL_BIND", "127.0.0.2"));
    assertThat(c.get(Settings.SERVER_PORT)).isEqualTo(9191);
    assertThat(c.get(Settings.SERVER_BIND)).isEqualTo("127.0.0.2");
    assertThat(c.databases()).containsOnlyKeys("erp", "shop");
    VigilConfig viaEnv = ConfigLoader.load(null, Map.of(ConfigLoader.CONFIG_ENV, file.toString()));
    assertThat(viaEnv.get(Settings.SERVER_PORT)).isEqualTo(9191);
  }

  @Test
  void unknownKeysBadYamlAndMissingFilesAreNamed(@TempDir Path dir) throws Exception {
    Path unknown = dir.resolve("u.yml");
    Files.writeString(unknown, "server:\n  prot: 1\n");
    assertThatThrownBy(() -> ConfigLoader.load(unknown, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.prot");
    Path broken = dir.resolve("b.yml");
    Files.writeString(broken, "server: [\n");
    assertThatThrownBy(() -> ConfigLoader.load(broken, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("valid YAML");
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yml"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("missing.yml");
    Path badValue = dir.resolve("v.yml");
    Files.writeString(badValue, "server:\n  port: many\n");
    assertThatThrownBy(() -> ConfigLoader.load(badValue, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessage("invalid config server.port='many': allowed an integer from 0 to 65535");
  }

  @Test
  void defaultTextsAreWrittenAsTheParsersReadThem() {
    assertThat(ValueParser.durationText(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(ValueParser.durationText(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(ValueParser.durationText(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(ValueParser.durationText(Duration.ofHours(1))).isEqualTo("1h");
    assertThat(ValueParser.bytesText(10L * 1024 * 1024)).isEqualTo("10MB");
    assertThat(ValueParser.bytesText(1500)).isEqualTo("1500");
    assertThat(ValueParser.decimalText(80.0)).isEqualTo("80");
    assertThat(ValueParser.decimalText(4.5)).isEqualTo("4.5");
  }
}
