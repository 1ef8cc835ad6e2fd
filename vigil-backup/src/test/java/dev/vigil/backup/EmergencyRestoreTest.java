package dev.vigil.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.backup.restore.RestoreOptions;
import dev.vigil.backup.restore.RestoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's emergency recovery: the application's database is gone or damaged, and a fresh
 * {@link DatabaseBackup} built from nothing but the URL and the backup directory (as the CLI does with
 * no server running) lists the backups and restores the newest.
 */
class EmergencyRestoreTest {
  @TempDir
  Path tmp;

  @Test
  void deletedSqliteDatabaseIsRecreatedFromTheNewestBackup() throws Exception {
    TestDatabases.Db db = TestDatabases.sqlite(tmp);
    TestDatabases.fill(db, 100, 1, 50_000);
    SortedMap<String, String> before = TestDatabases.contentHashes(db);
    Path dir = tmp.resolve("backups");
    try (DatabaseBackup b = new DatabaseBackup(db.url(), dir)) {
      b.createBackup();
    }
    Path file = Path.of(db.toString());
    Files.delete(file);

    try (DatabaseBackup fresh = new DatabaseBackup(db.url(), dir)) {
      List<BackupRecord> backups = fresh.listBackups();
      RestoreResult r = fresh.restoreBackup(backups.get(0).filename());
      assertThat(r.safetyBackup()).isNull();
      assertThat(r.note()).contains("did not exist");
    }
    assertThat(TestDatabases.contentHashes(db)).isEqualTo(before);
  }

  @Test
  void damagedSqliteDatabaseNeedsAnExplicitRestoreWithoutSafetyBackup() throws Exception {
    TestDatabases.Db db = TestDatabases.sqlite(tmp);
    TestDatabases.fill(db, 100, 0, 0);
    SortedMap<String, String> before = TestDatabases.contentHashes(db);
    Path dir = tmp.resolve("backups");
    try (DatabaseBackup b = new DatabaseBackup(db.url(), dir)) {
      String good = b.createBackup().filename();
      Files.write(Path.of(db.toString()), "this is not an SQLite database any more".repeat(200).getBytes());

      assertThatThrownBy(() -> b.restoreBackup(good)).isInstanceOf(BackupException.class)
          .hasMessageContaining("not started: the safety backup of the current state failed")
          .hasMessageContaining("RestoreOptions.withoutSafetyBackup()");
      assertThat(b.listBackups()).hasSize(1);

      RestoreResult r = b.restoreBackup(good, RestoreOptions.withoutSafetyBackup());
      assertThat(r.safetyBackup()).isNull();
    }
    assertThat(TestDatabases.contentHashes(db)).isEqualTo(before);
  }

  @Test
  void droppedPostgresDatabaseIsCreatedAndRestored() throws Exception {
    TestDatabases.Db db = TestDatabases.postgres("emergency");
    try {
      TestDatabases.fill(db, 50, 1, 10_000);
      SortedMap<String, String> before = TestDatabases.contentHashes(db);
      Path dir = tmp.resolve("pg");
      String good;
      try (DatabaseBackup b = new DatabaseBackup(db.url(), dir)) {
        good = b.createBackup().filename();
      }
      db.close();
      try (DatabaseBackup fresh = new DatabaseBackup(db.url(), dir)) {
        RestoreResult r = fresh.restoreBackup(good);
        assertThat(r.note()).contains("did not exist");
      }
      assertThat(TestDatabases.contentHashes(db)).isEqualTo(before);
    } finally {
      db.close();
    }
  }
}
