package dev.vigil.backup.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.backup.BackupException;
import dev.vigil.backup.DatabaseBackup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retry of a failed scheduled backup slot on a real SQLite database: the failure is reported to
 * the listener, a retry backs the slot up once, and a second delivery of the retry, a retry of a slot
 * a later fire time replaced, and a retry interrupted after it took its backup all run nothing.
 */
class BackupRetrySlotTest {
  @TempDir Path tmp;

  @Test
  void aFailedSlotIsBackedUpOnceWhateverIsRetried() throws Exception {
    Path ready = tmp.resolve("ready.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ready); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
      s.execute("INSERT INTO t(v) VALUES ('a')");
    }
    Path db = tmp.resolve("erp.db");
    List<FailedRun> failures = new CopyOnWriteArrayList<>();
    try (DatabaseBackup b = DatabaseBackup.builder("sqlite:///" + db.toString().substring(1), tmp.resolve("b"))
        .name("erp").build(); BackupScheduler s = BackupScheduler.builder(b).build()) {
      String job = s.scheduleDaily(2, 0);
      assertThat(s.runNow(job).lastStatus()).isEqualTo("FAILED");
      // the listener attached later is told of the earlier failure
      s.onBackupFailure(failures::add);
      assertThat(failures).singleElement().satisfies(f -> {
        assertThat(f.database()).isEqualTo("erp");
        assertThat(f.job()).isEqualTo(job);
      });
      FailedRun first = failures.get(0);

      assertThatThrownBy(() -> s.retry(job, first.fireAt())).isInstanceOf(BackupException.class);
      assertThat(s.jobs().get(0).lastStatus()).isEqualTo("FAILED");
      Files.copy(ready, db);
      RetryResult done = s.retry(job, first.fireAt());
      assertThat(done.outcome()).isEqualTo(RetryResult.Outcome.BACKED_UP);
      assertThat(s.jobs().get(0).lastStatus()).isEqualTo("SUCCEEDED");
      assertThat(s.retry(job, first.fireAt()).outcome()).isEqualTo(RetryResult.Outcome.ALREADY_SUCCEEDED);
      assertThat(b.listBackups()).hasSize(1);

      // a later slot fails; its retry dies right after taking the backup (before recording it)
      Files.move(db, tmp.resolve("away.db"));
      s.runNow(job);
      assertThat(failures).hasSize(2);
      FailedRun second = failures.get(1);
      Files.move(tmp.resolve("away.db"), db);
      JobStore store = new JobStore(b.stateStore());
      assertThat(store.markRetrying("erp/" + job, second.fireAt(), "a-dead-instance", Instant.now())).isTrue();
      b.createBackup(DatabaseBackup.DEFAULT_PREFIX);
      assertThat(b.listBackups()).hasSize(2);
      RetryResult recovered = s.retry(job, second.fireAt());
      assertThat(recovered.outcome()).isEqualTo(RetryResult.Outcome.ALREADY_BACKED_UP);
      assertThat(b.listBackups()).hasSize(2);
      assertThat(s.jobs().get(0).lastStatus()).isEqualTo("SUCCEEDED");

      // the first slot's retry arriving late: a later fire time has run, nothing is done
      assertThat(s.retry(job, first.fireAt()).outcome()).isEqualTo(RetryResult.Outcome.SUPERSEDED);
      assertThat(b.listBackups()).hasSize(2);
      assertThatThrownBy(() -> s.retry("backup-nope", first.fireAt())).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no scheduled backup job named backup-nope");
      assertThatThrownBy(() -> s.onBackupFailure(failures::add)).isInstanceOf(IllegalStateException.class);
    }
  }
}
