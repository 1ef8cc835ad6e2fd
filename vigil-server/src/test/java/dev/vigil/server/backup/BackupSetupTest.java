package dev.vigil.server.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.backup.BackupCatalog;
import dev.vigil.backup.BackupProgress;
import dev.vigil.backup.retention.RetentionPolicy;
import dev.vigil.backup.schedule.BackupScheduler;
import dev.vigil.backup.schedule.JobInfo;
import dev.vigil.core.config.ConfigException;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.FleetLock;
import dev.vigil.core.store.StateStore;
import dev.vigil.server.feature.Features;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup feature built from vigil.yml: databases, retention, compression and the schedule. */
class BackupSetupTest {
  @TempDir
  Path dir;

  @Test
  void yamlGivesDatabasesRetentionAndEveryJob() throws Exception {
    Files.createFile(dir.resolve("a.db"));
    VigilConfig config = load("""
        data_dir: %s
        backup:
          max_backups: 3
          compression: zstd
          retention: {daily: 7, weekly: 4, monthly: 12}
          databases:
            shop: sqlite://%s
          scheduler: {hour: 1, minute: 30, every_hours: 6, cron: "15 */4 * * 1-5"}
          verify: {cron: "0 5 * * *"}
        """.formatted(dir.resolve("data"), dir.resolve("a.db")), Map.of());
    assertThat(BackupSetup.retention(config)).isEqualTo(new RetentionPolicy(3, 0, 7, 4, 12, 0));
    try (StateStore store = StateStore.open(null, dir.resolve("data"));
        BackupCatalog catalog = BackupSetup.catalog(config, store, Clock.systemUTC(), BackupProgress.NONE)
            .orElseThrow()) {
      assertThat(catalog.names()).containsExactly("shop");
      assertThat(catalog.database("shop").backupDir()).isEqualTo(dir.resolve("data/backups/shop"));
      Map<String, BackupScheduler> s = BackupSetup.schedulers(config, catalog, new FleetLock(store, Clock.systemUTC()),
          Clock.systemUTC());
      assertThat(s.get("shop").jobs()).extracting(JobInfo::trigger).containsExactly("daily at 01:30", "every 6h",
          "cron 15 */4 * * 1-5", "cron 0 5 * * *");
      s.values().forEach(BackupScheduler::close);
    }
  }

  @Test
  void noDatabaseMeansNoCatalog() throws Exception {
    VigilConfig config = load("data_dir: " + dir.resolve("data") + "\n", Map.of());
    try (StateStore store = StateStore.open(null, dir.resolve("data"))) {
      assertThat(BackupSetup.catalog(config, store, Clock.systemUTC(), BackupProgress.NONE)).isEmpty();
    }
  }

  @Test
  void aCronExpressionCronUtilsRejectsNamesItsKey() throws Exception {
    Files.createFile(dir.resolve("a.db"));
    VigilConfig config = load("data_dir: " + dir.resolve("data") + "\n", Map.of("DATABASE_URL", "sqlite://"
        + dir.resolve("a.db"), "VIGIL_BACKUP_SCHEDULER_CRON", "99 * * * *"));
    try (StateStore store = StateStore.open(null, dir.resolve("data"));
        BackupCatalog catalog = BackupSetup.catalog(config, store, Clock.systemUTC(), BackupProgress.NONE)
            .orElseThrow()) {
      assertThatThrownBy(() -> BackupSetup.schedulers(config, catalog, new FleetLock(store, Clock.systemUTC()),
          Clock.systemUTC())).isInstanceOf(ConfigException.class).hasMessageContaining("backup.scheduler.cron")
          .hasMessageContaining("99 * * * *");
    }
    assertThatThrownBy(() -> load("data_dir: x\n", Map.of("VIGIL_BACKUP_VERIFY_CRON", "daily")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("VIGIL_BACKUP_VERIFY_CRON='daily'");
  }

  @Test
  void anUnusableDatabaseUrlNamesItsKeyAndHidesThePassword() throws Exception {
    VigilConfig config = load("data_dir: " + dir.resolve("data") + "\n", Map.of("DATABASE_URL",
        "mysql://app:s3cret@db.example/erp?sslmode=require"));
    try (StateStore store = StateStore.open(null, dir.resolve("data"))) {
      assertThatThrownBy(() -> BackupSetup.catalog(config, store, Clock.systemUTC(), BackupProgress.NONE))
          .isInstanceOf(ConfigException.class).hasMessageContaining("backup.database_url")
          .hasMessageNotContaining("s3cret");
    }
    VigilConfig upper = load("data_dir: " + dir.resolve("data") + "\nbackup:\n  databases:\n    Shop: sqlite:x.db\n",
        Map.of());
    try (StateStore store = StateStore.open(null, dir.resolve("data"))) {
      assertThatThrownBy(() -> BackupSetup.catalog(upper, store, Clock.systemUTC(), BackupProgress.NONE))
          .isInstanceOf(ConfigException.class).hasMessageContaining("backup.databases.Shop");
    }
  }

  private VigilConfig load(String yaml, Map<String, String> env) throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(file, yaml);
    return Features.loadConfig(file, env);
  }
}
