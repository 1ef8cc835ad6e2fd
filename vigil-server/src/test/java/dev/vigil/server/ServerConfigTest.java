package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.backup.DatabaseBackup;
import dev.vigil.cache.CacheManager;
import dev.vigil.core.config.ConfigException;
import dev.vigil.core.config.Setting;
import dev.vigil.core.config.Settings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.logging.setup.LoggingOptions;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.health.Thresholds;
import dev.vigil.server.backup.BackupSettings;
import dev.vigil.server.cache.CacheSettings;
import dev.vigil.server.feature.Features;
import dev.vigil.server.logging.LoggingSettings;
import dev.vigil.server.monitoring.MonitoringSettings;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The features' settings as the server loads them: every published environment variable still works,
 * defaults come from the libraries, cross-checks hold, and no setting the code reads is undeclared.
 */
class ServerConfigTest {

  @Test
  void defaultsAreTheLibrariesOwn() {
    VigilConfig c = Features.loadConfig(null, Map.of());
    assertThat(c.get(MonitoringSettings.CPU_WARNING)).isEqualTo(Thresholds.DEFAULT_CPU_WARNING).isEqualTo(80.0);
    assertThat(c.get(MonitoringSettings.RAM_WARNING)).isEqualTo(85.0);
    assertThat(c.get(MonitoringSettings.DISK_WARNING)).isEqualTo(90.0);
    assertThat(c.get(MonitoringSettings.CPU_CRITICAL)).isEqualTo(Thresholds.DEFAULT_CRITICAL);
    assertThat(c.get(MonitoringSettings.MONITORING_INTERVAL)).isEqualTo(SystemMonitor.DEFAULT_INTERVAL);
    assertThat(c.get(CacheSettings.CACHE_MAX_ENTRIES)).isEqualTo((int) CacheManager.DEFAULT_MAX_ENTRIES);
    assertThat(c.get(CacheSettings.CACHE_DEFAULT_TTL)).isEqualTo(CacheManager.DEFAULT_TTL);
    assertThat(c.get(CacheSettings.CACHE_KEY_PREFIX)).isEqualTo(CacheManager.DEFAULT_KEY_PREFIX);
    assertThat(c.get(LoggingSettings.LOG_MAX_BYTES)).isEqualTo(LoggingOptions.DEFAULT_MAX_BYTES).isEqualTo(10L << 20);
    assertThat(c.get(LoggingSettings.LOG_BACKUP_COUNT)).isEqualTo(LoggingOptions.DEFAULT_BACKUP_COUNT);
    assertThat(c.get(BackupSettings.MAX_BACKUPS)).isEqualTo(DatabaseBackup.DEFAULT_MAX_BACKUPS);
    assertThat(BackupSettings.backupDir(c)).isEqualTo(Path.of("./vigil-data/backups"));
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
      "BACKUP_DIR, /srv/backups, backup.dir, /srv/backups",
      "MAX_BACKUPS, 30, backup.max_backups, 30",
      "ENABLE_BACKUP_SCHEDULER, false, backup.scheduler.enabled, false",
      "BACKUP_HOUR, 3, backup.scheduler.hour, 3",
      "BACKUP_MINUTE, 30, backup.scheduler.minute, 30",
  })
  void everyPublishedVariableChangesTheEffectiveConfig(String env, String value, String key, String expected) {
    VigilConfig defaults = Features.loadConfig(null, Map.of());
    VigilConfig c = Features.loadConfig(null, Map.of(env, value));
    Setting<?> setting = Features.settings().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
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
      "BACKUP_DIR, ' ', any non-blank",
      "MAX_BACKUPS, 0, an integer from 1",
      "ENABLE_BACKUP_SCHEDULER, nope, true or false",
      "BACKUP_HOUR, 24, an integer from 0 to 23",
      "BACKUP_MINUTE, 60, an integer from 0 to 59",
  })
  void everyBadValueGivesOneLineNamingKeyValueAndAllowed(String env, String value, String allowed) {
    assertThatThrownBy(() -> Features.loadConfig(null, Map.of(env, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(env)
        .hasMessageContaining("'" + value + "'")
        .hasMessageContaining("allowed " + allowed)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aFeaturesKeysAreReadFromTheFileAndTheEnvironmentWins(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(file, """
        monitoring:
          interval: 2s
          cpu_threshold: 70
        backup:
          max_backups: 3
        """);
    VigilConfig c = Features.loadConfig(file, Map.of("MONITORING_CPU_THRESHOLD", "60"));
    assertThat(c.get(MonitoringSettings.MONITORING_INTERVAL)).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.get(MonitoringSettings.CPU_WARNING)).isEqualTo(60.0);
    assertThat(c.get(BackupSettings.MAX_BACKUPS)).isEqualTo(3);
    Path badValue = dir.resolve("v.yml");
    Files.writeString(badValue, "backup:\n  max_backups: many\n");
    assertThatThrownBy(() -> Features.loadConfig(badValue, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessage("invalid config backup.max_backups='many': allowed an integer from 1 to 100000");
  }

  @Test
  void aFeaturesSecretsAreMaskedInTheEntries() {
    VigilConfig c = Features.loadConfig(null, Map.of("REDIS_PASSWORD", "hunter2",
        "REDIS_URL", "redis://app:s3cret@127.0.0.1:6379/0"));
    assertThat(c.entries().toString()).doesNotContain("hunter2").doesNotContain("s3cret");
    assertThat(c.get(CacheSettings.REDIS_PASSWORD)).isEqualTo("hunter2");
  }

  @Test
  void aWarningAboveItsCriticalIsRejectedInOneLine() {
    assertThatThrownBy(() -> Features.loadConfig(null, Map.of("MONITORING_CPU_THRESHOLD", "99")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("invalid config monitoring.cpu_threshold='99.0': allowed at most monitoring.cpu_critical (95.0)");
    assertThat(Features.loadConfig(null, Map.of("MONITORING_DISK_THRESHOLD", "99", "MONITORING_DISK_CRITICAL", "99.5"))
        .get(MonitoringSettings.DISK_WARNING)).isEqualTo(99.0);
  }

  @Test
  void everySettingTheServerDefinesIsDeclaredToTheLoader() throws Exception {
    VigilConfig config = Features.loadConfig(null, Map.of());
    List<String> undeclared = new ArrayList<>();
    int seen = 0;
    for (Class<?> type : serverClasses()) {
      for (Field f : type.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) && Setting.class.isAssignableFrom(f.getType())) {
          f.setAccessible(true);
          Setting<?> s = (Setting<?>) f.get(null);
          seen++;
          if (!config.declared(s)) {
            undeclared.add(type.getSimpleName() + "." + f.getName() + " (" + s.key() + ")");
          }
        }
      }
    }
    assertThat(seen).isGreaterThanOrEqualTo(Features.settings().size());
    assertThat(undeclared).as("settings not declared by any feature nor core").isEmpty();
    assertThat(Features.settings()).doesNotContainAnyElementsOf(Settings.ALL);
  }

  /** Every class compiled from vigil-server's main code. */
  private static List<Class<?>> serverClasses() throws IOException, ClassNotFoundException {
    Path root = Path.of(VigilServer.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    List<Class<?>> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
        out.add(Class.forName(name, false, ServerConfigTest.class.getClassLoader()));
      }
    }
    return out;
  }
}
