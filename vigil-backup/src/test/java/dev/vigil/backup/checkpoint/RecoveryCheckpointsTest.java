package dev.vigil.backup.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.backup.BackupCatalog;
import dev.vigil.backup.BackupException;
import dev.vigil.backup.BackupInUseException;
import dev.vigil.backup.BackupRecord;
import dev.vigil.backup.DatabaseBackup;
import dev.vigil.backup.TestDatabasesAccess;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints over SQLite, PostgreSQL and MariaDB together: create, pin, roll back, validate, delete. */
class RecoveryCheckpointsTest {
  @TempDir
  Path tmp;

  @Test
  void checkpointBacksUpEveryDatabaseAndRollsThemAllBack() throws Exception {
    try (TestDatabasesAccess.Dbs dbs = TestDatabasesAccess.threeEngines(tmp)) {
      Map<String, String> urls = new LinkedHashMap<>();
      urls.put("default", dbs.sqlite().url());
      urls.put("orders", dbs.postgres().url());
      urls.put("crm", dbs.mariadb().url());
      Map<String, SortedMap<String, String>> before = dbs.hashes();
      try (BackupCatalog catalog = BackupCatalog.open(urls, tmp.resolve("backups"), b -> b.maxBackups(1))) {
        RecoveryCheckpoints checkpoints = new RecoveryCheckpoints(catalog, Clock.systemDefaultZone());
        Checkpoint cp = checkpoints.createCheckpoint("before-upgrade");

        assertThat(cp.backups()).containsOnlyKeys("default", "orders", "crm");
        assertThat(checkpoints.list()).extracting(Checkpoint::name).containsExactly("before-upgrade");
        assertThat(catalog.database("orders").backupDir()).isEqualTo(tmp.resolve("backups").resolve("orders"));
        assertThat(catalog.database("default").backupDir()).isEqualTo(tmp.resolve("backups"));
        assertThat(checkpoints.validate("before-upgrade").values()).allSatisfy(v -> assertThat(v.ok()).isTrue());

        DatabaseBackup orders = catalog.database("orders");
        orders.createBackup();
        orders.createBackup();
        String pinned = cp.backups().get("orders");
        assertThat(orders.listBackups()).extracting(BackupRecord::filename).contains(pinned);
        assertThatThrownBy(() -> orders.deleteBackup(pinned)).isInstanceOf(BackupInUseException.class)
            .hasMessageContaining("belongs to recovery checkpoint before-upgrade");

        dbs.damageAll();
        assertThat(dbs.hashes()).isNotEqualTo(before);

        RollbackResult r = checkpoints.rollback("before-upgrade");

        assertThat(r.restored()).containsOnlyKeys("default", "orders", "crm");
        assertThat(r.restored().values()).allSatisfy(x -> assertThat(x.safetyBackup()).startsWith("safety_"));
        assertThat(dbs.hashes()).isEqualTo(before);

        assertThat(checkpoints.delete("before-upgrade")).isTrue();
        assertThat(checkpoints.list()).isEmpty();
        orders.applyRetention();
        assertThat(orders.listBackups()).extracting(BackupRecord::filename).doesNotContain(pinned);
      }
    }
  }

  @Test
  void aFailedBackupLeavesNoHalfCheckpoint() throws Exception {
    try (TestDatabasesAccess.Dbs dbs = TestDatabasesAccess.threeEngines(tmp)) {
      Map<String, String> urls = new LinkedHashMap<>();
      urls.put("default", dbs.sqlite().url());
      urls.put("gone", dbs.postgres().url() + "_missing");
      try (BackupCatalog catalog = BackupCatalog.open(urls, tmp.resolve("backups"), b -> b)) {
        RecoveryCheckpoints checkpoints = new RecoveryCheckpoints(catalog, Clock.systemDefaultZone());
        assertThatThrownBy(() -> checkpoints.createCheckpoint("nightly")).isInstanceOf(BackupException.class)
            .hasMessageContaining("checkpoint nightly not created: the backup of database gone failed");
        assertThat(checkpoints.list()).isEmpty();
        assertThat(catalog.database("default").listBackups()).isEmpty();
        assertThatThrownBy(() -> checkpoints.rollback("nightly")).hasMessageContaining("no checkpoint named nightly");
        assertThatThrownBy(() -> checkpoints.createCheckpoint("../x")).hasMessageContaining("checkpoint name");
        assertThatThrownBy(() -> catalog.database("nope")).hasMessageContaining("configured: [default, gone]");
      }
    }
  }
}
