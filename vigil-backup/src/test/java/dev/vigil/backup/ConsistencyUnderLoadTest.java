package dev.vigil.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.core.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup taken while {@code pgbench} writes is consistent: restored into another database, the
 * TPC-B invariant holds (sum of account balances = sum of teller balances = sum of branch balances =
 * sum of history deltas), and the manifest's row counts match the restored copy.
 */
class ConsistencyUnderLoadTest {
  @TempDir
  Path tmp;

  @Test
  void backupDuringPgbenchSatisfiesTheTpcbInvariant() throws Exception {
    try (TestPostgres source = TestPostgres.create("pgbench"); TestPostgres target = TestPostgres.create("pgbench_to")) {
      run(List.of("pgbench", "-h", "127.0.0.1", "-U", "postgres", "-i", "-s", "1", "-q", source.name()));
      Process load = new ProcessBuilder("pgbench", "-h", "127.0.0.1", "-U", "postgres", "-n", "-c", "2", "-j", "2",
          "-T", "120", source.name()).redirectErrorStream(true).redirectOutput(tmp.resolve("pgbench.log").toFile())
          .start();
      BackupRecord rec;
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> count(source, "pgbench_history") > 200);
        try (DatabaseBackup b = DatabaseBackup.builder(source.url(), tmp.resolve("src")).build()) {
          rec = b.createBackup();
          assertThat(rec.verified()).as(String.valueOf(rec.verification())).isTrue();
        }
        assertThat(load.isAlive()).as("pgbench still running after the backup").isTrue();
      } finally {
        load.destroy();
        load.waitFor(30, TimeUnit.SECONDS);
      }
      Path dst = Files.createDirectories(tmp.resolve("dst"));
      Files.copy(tmp.resolve("src").resolve(rec.filename()), dst.resolve(rec.filename()));
      Files.copy(tmp.resolve("src").resolve(rec.filename() + ".json"), dst.resolve(rec.filename() + ".json"));
      try (DatabaseBackup b = DatabaseBackup.builder(target.url(), dst).build()) {
        b.restoreBackup(rec.filename());
        long history = count(target, "pgbench_history");
        assertThat(history).isPositive().isEqualTo(b.manifest(rec.filename()).tables().get("public.pgbench_history"));
      }
      long accounts = sum(target, "SELECT sum(abalance) FROM pgbench_accounts");
      long tellers = sum(target, "SELECT sum(tbalance) FROM pgbench_tellers");
      long branches = sum(target, "SELECT sum(bbalance) FROM pgbench_branches");
      long deltas = sum(target, "SELECT sum(delta) FROM pgbench_history");
      assertThat(List.of(accounts, tellers, branches)).containsOnly(deltas);
    }
  }

  private static long count(TestPostgres db, String table) throws SQLException {
    return sum(db, "SELECT count(*) FROM " + table);
  }

  private static long sum(TestPostgres db, String sql) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void run(List<String> argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " failed (is postgresql-contrib / pgbench installed?): "
          + out);
    }
  }
}
