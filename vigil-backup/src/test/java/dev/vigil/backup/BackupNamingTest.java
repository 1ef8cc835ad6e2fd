package dev.vigil.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names of backups taken within one second: a new backup always sorts newest, so retention keeps it. */
class BackupNamingTest {
  @TempDir
  Path tmp;

  @Test
  void aBackupAfterRetentionFreedAnEarlierNumberOfTheSameSecondIsStillTheNewest() throws Exception {
    TestDatabases.Db db = TestDatabases.sqlite(tmp);
    TestDatabases.fill(db, 5, 0, 0);
    Clock sameSecond = Clock.fixed(Instant.parse("2026-12-05T10:00:00.250Z"), ZoneOffset.UTC);
    try (DatabaseBackup b = DatabaseBackup.builder(db.url(), tmp.resolve("b")).clock(sameSecond).maxBackups(2).build()) {
      b.createBackup();
      b.createBackup();
      b.createBackup(); // retention keeps the last two and frees number 0 of this second
      assertThat(b.listBackups()).extracting(r -> BackupName.parse(r.filename()).sequence()).containsExactly(2, 1);

      BackupRecord fourth = b.createBackup();

      assertThat(BackupName.parse(fourth.filename()).sequence()).isEqualTo(3);
      assertThat(b.listBackups()).extracting(BackupRecord::filename).first().isEqualTo(fourth.filename());
      assertThat(b.newestVerified()).map(BackupRecord::filename).contains(fourth.filename());
    }
  }
}
