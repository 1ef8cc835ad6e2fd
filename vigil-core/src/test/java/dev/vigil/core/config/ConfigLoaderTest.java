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
    assertThat(c.backupDir()).isEqualTo(Path.of("./vigil-data/backups"));
    assertThat(c.get(Settings.CPU_WARNING)).isEqualTo(80.0);
    assertThat(c.get(Settings.RAM_WARNING)).isEqualTo(85.0);
    assertThat(c.get(Settings.DISK_WARNING)).isEqualTo(90.0);
    assertThat(c.get(Settings.LOG_MAX_BYTES)).isEqualTo(10L * 1024 * 1024);
    assertThat(c.get(Settings.LOG_BACKUP_COUNT)).isEqualTo(10);
    assertThat(c.find(Settings.STORE_URL)).isEmpty();
    assertThat(c.databases()).isEmpty();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "ENABLE_MONITORING, false, monitoring.enabled, false",
      "MONITORING_INTERVAL, 60, monitoring.interval, PT1M",
      "MONITORING_CPU_THRESHOLD, 70.5, monitoring.cpu_threshold, 70.5",
      "MONITORING_RAM_THRESHOLD, 60, monitoring.ram_threshold, 60.0",
      "MONITORING_DISK_THRESHOLD, 75, monitoring.disk_threshold, 75.0",
      "USE_REDIS_CACHE, true, cache.use_redis, true",
      "REDIS_HOST, cache.example, cache.redis.host, cache.example",
      "REDIS_PORT, 6380, cache.redis.port, 6380",
      "REDIS_DB, 3, cache.redis.db, 3",
      "REDIS_PASSWORD, hunter2, cache.redis.password, hunter2",
      "LOG_DIR, /var/log/vigil, logging.dir, /var/log/vigil",
      "LOG_LEVEL, DEBUG, logging.level, debug",
      "LOG_JSON_FORMAT, false, logging.json, false",
      "LOG_MAX_BYTES, 2048, logging.max_bytes, 2048",
      "LOG_BACKUP_COUNT, 30, logging.backup_count, 30",
      "DATABASE_URL, postgresql://u:p@db/erp, backup.database_url, postgresql://u:p@db/erp",
      "BACKUP_DIR, /srv/backups, backup.dir, /srv/backups",
      "MAX_BACKUPS, 30, backup.max_backups, 30",
      "ENABLE_BACKUP_SCHEDULER, false, backup.scheduler.enabled, false",
      "BACKUP_HOUR, 3, backup.scheduler.hour, 3",
      "BACKUP_MINUTE, 30, backup.scheduler.minute, 30",
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
      "ENABLE_MONITORING, maybe, true or false",
      "MONITORING_INTERVAL, soon, a duration",
      "MONITORING_CPU_THRESHOLD, 120, a number from 0 to 100",
      "MONITORING_RAM_THRESHOLD, -1, a number from 0 to 100",
      "MONITORING_DISK_THRESHOLD, full, a number from 0 to 100",
      "USE_REDIS_CACHE, sometimes, true or false",
      "REDIS_HOST, '   ', any non-blank",
      "REDIS_PORT, 70000, an integer from 1 to 65535",
      "REDIS_DB, 16, an integer from 0 to 15",
      "LOG_DIR, ' ', any non-blank",
      "LOG_LEVEL, LOUD, one of",
      "LOG_JSON_FORMAT, json, true or false",
      "LOG_MAX_BYTES, 10, a byte count",
      "LOG_BACKUP_COUNT, 0, an integer from 1",
      "DATABASE_URL, oracle://x, a postgresql://",
      "BACKUP_DIR, ' ', any non-blank",
      "MAX_BACKUPS, 0, an integer from 1",
      "ENABLE_BACKUP_SCHEDULER, nope, true or false",
      "BACKUP_HOUR, 24, an integer from 0 to 23",
      "BACKUP_MINUTE, 60, an integer from 0 to 59",
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
    VigilConfig c = ConfigLoader.load(null, Map.of("REDIS_PASSWORD", "hunter2",
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
        monitoring:
          interval: 2s
          cpu_threshold: 70
        backup:
          databases:
            erp: postgresql://erp@127.0.0.1/erp
            shop: sqlite:///srv/shop.db
        """);
    VigilConfig c = ConfigLoader.load(file, Map.of("MONITORING_CPU_THRESHOLD", "60"));
    assertThat(c.get(Settings.SERVER_PORT)).isEqualTo(9191);
    assertThat(c.get(Settings.MONITORING_INTERVAL)).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.get(Settings.CPU_WARNING)).isEqualTo(60.0);
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
    Files.writeString(badValue, "backup:\n  max_backups: many\n");
    assertThatThrownBy(() -> ConfigLoader.load(badValue, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessage("invalid config backup.max_backups='many': allowed an integer from 1 to 100000");
  }

  @Test
  void warningAboveCriticalIsRejected() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("MONITORING_CPU_THRESHOLD", "99")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("monitoring.cpu_critical");
  }
}
