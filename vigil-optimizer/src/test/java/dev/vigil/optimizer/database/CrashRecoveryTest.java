package dev.vigil.optimizer.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.TestPostgres;
import dev.vigil.optimizer.ActionRecord;
import dev.vigil.optimizer.Optimizer;
import dev.vigil.optimizer.OptimizerHooks;
import dev.vigil.optimizer.OptimizerOptions;
import dev.vigil.optimizer.Probe;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * kill -9 of the process building an index concurrently on PostgreSQL: after a restart the optimizer
 * finds the half-applied action, drops whatever the build left (an invalid index, or a finished one
 * nobody measured) and marks the action failed.
 */
class CrashRecoveryTest {
  static final IndexCandidate CANDIDATE = new IndexCandidate("app", "big", List.of("v", "w"), "crash test",
      List.of("big by v"));

  static Optimizer optimizer(StateStore store, String jdbcUrl) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(jdbcUrl);
    Probe none = new Probe() {
      @Override
      public String name() {
        return "big by v (ms)";
      }

      @Override
      public boolean lowerIsBetter() {
        return true;
      }

      @Override
      public double[] samples(Instant from, Instant to) {
        return new double[0];
      }
    };
    return new Optimizer(OptimizerOptions.defaults(), List.of(new IndexTuning("db.index.app", ds,
        IndexTuning.Dialect.POSTGRESQL, () -> List.of(CANDIDATE), c -> none, c -> List.of())), new OptimizerHooks() {
          @Override
          public void audit(String action, String resource, String outcome, Map<String, Object> facts) {
          }

          @Override
          public void checkpoint(String label) {
            throw new IllegalStateException("no checkpoint in this test");
          }

          @Override
          public boolean busy() {
            return false;
          }
        }, store);
  }

  private static int indexes(TestPostgres pg) throws Exception {
    try (Connection c = pg.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class WHERE relname = '" + CANDIDATE.indexName() + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void aBuildKilledMidwayLeavesNoIndexAfterRestart(@TempDir Path dir) throws Exception {
    try (TestPostgres pg = TestPostgres.create("optcrash")) {
      try (Connection c = pg.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE big(id bigserial PRIMARY KEY, v text, w text)");
        s.execute("INSERT INTO big(v, w) SELECT md5(g::text), md5((g * 7)::text) FROM generate_series(1, 100000) g");
      }
      // a transaction holding the table's SHARE UPDATE EXCLUSIVE lock keeps the concurrent build waiting,
      // so the child is killed mid-build however fast this machine is
      Connection blocker = pg.connect();
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("LOCK TABLE big IN SHARE UPDATE EXCLUSIVE MODE");
      }
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), ApplyInChild.class.getName(), dir.resolve("state").toString(),
          pg.jdbcUrl()).redirectErrorStream(true).start();
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
          line = out.readLine();
        } while (line != null && !line.equals("applying"));
        assertThat(line).as("child started applying").isEqualTo("applying");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
              "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' "
                  + "AND query LIKE 'CREATE INDEX CONCURRENTLY%'")) {
            rs.next();
            return rs.getInt(1) > 0;
          }
        });
      } finally {
        child.destroyForcibly().waitFor();
        // the dead client's session ends too (as with client_connection_check_interval), then the lock goes
        try (Statement s = blocker.createStatement()) {
          s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
              + "AND query LIKE 'CREATE INDEX CONCURRENTLY%' AND pid <> pg_backend_pid()");
        }
        blocker.rollback();
        blocker.close();
      }
      try (StateStore store = StateStore.open(null, dir.resolve("state"))) {
        Optimizer restarted = optimizer(store, pg.jdbcUrl());
        assertThat(restarted.history(10)).singleElement()
            .satisfies(a -> assertThat(a.status()).isEqualTo(ActionRecord.Status.APPLYING));
        List<String> cleaned = restarted.recover();
        assertThat(cleaned).hasSize(1);
        assertThat(restarted.action(cleaned.get(0)).orElseThrow().status()).isEqualTo(ActionRecord.Status.FAILED);
        assertThat(indexes(pg)).isZero();
      }
    }
  }
}
