package dev.vigil.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.backup.store.BackupRun;
import dev.vigil.backup.store.BackupRuns;
import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.TestStores;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Run records in both state-store engines: SUCCEEDED, FAILED with the reason, and interrupted runs. */
class RunHistoryTest {
  @TempDir
  Path tmp;

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void runsAreRecordedInTheSharedStore(StateStore.Kind kind) throws Exception {
    TestDatabases.Db db = TestDatabases.sqlite(tmp);
    TestDatabases.fill(db, 5, 0, 0);
    try (TestStores.Handle store = TestStores.open(kind, tmp.resolve("store"));
        DatabaseBackup b = DatabaseBackup.builder(db.url(), tmp.resolve("b")).stateStore(store.store()).name("shop")
            .build();
        DatabaseBackup missing = DatabaseBackup.builder("sqlite:///" + tmp.resolve("gone.db").toString().substring(1),
            tmp.resolve("b2")).stateStore(store.store()).name("gone").build()) {
      BackupRecord ok = b.createBackup();
      assertThat(b.runs(10)).extracting(BackupRun::operation).containsExactly("RETENTION", "VERIFY", "BACKUP");
      assertThat(b.runs(10).get(2)).satisfies(r -> {
        assertThat(r.status()).isEqualTo(BackupRun.SUCCEEDED);
        assertThat(r.filename()).isEqualTo(ok.filename());
        assertThat(r.sha256()).isEqualTo(ok.sha256());
        assertThat(r.database()).isEqualTo("shop");
      });

      assertThatThrownBy(missing::createBackup).isInstanceOf(BackupException.class);
      assertThat(missing.runs(1).get(0)).satisfies(r -> {
        assertThat(r.status()).isEqualTo(BackupRun.FAILED);
        assertThat(r.reason()).contains("gone.db does not exist");
      });

      BackupRuns runs = new BackupRuns(store.store(), Clock.systemUTC());
      String id = runs.start("shop", "BACKUP", null);
      store.store().jdbi().useHandle(h -> h.execute("UPDATE vigil_backup_run SET pid = 999999999 WHERE id = ?", id));
      assertThat(runs.reapInterrupted("shop")).isEqualTo(1);
      assertThat(b.runs(1).get(0)).satisfies(r -> {
        assertThat(r.id()).isEqualTo(id);
        assertThat(r.status()).isEqualTo(BackupRun.FAILED);
        assertThat(r.reason()).startsWith("interrupted: process 999999999");
      });
    }
  }
}
