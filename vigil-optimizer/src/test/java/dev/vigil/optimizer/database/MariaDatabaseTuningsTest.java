package dev.vigil.optimizer.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.MutableClock;
import dev.vigil.insight.DatabaseInsight;
import dev.vigil.insight.InsightSettings;
import dev.vigil.insight.testing.MariaInstance;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Optimizer;
import dev.vigil.optimizer.OptimizerHooks;
import dev.vigil.optimizer.OptimizerOptions;
import dev.vigil.optimizer.RunReport;
import dev.vigil.optimizer.Tuning;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database tunings on a real MariaDB (own server with performance_schema, one database per test):
 * an index the advisor finds from full scans, InnoDB statistics gone stale (auto-recalculation off),
 * a fragmented table (OPTIMIZE TABLE), a duplicate and an unused index.
 */
class MariaDatabaseTuningsTest {
  private static MariaInstance maria;
  private static int databases;
  @TempDir
  Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final List<String> checkpoints = new ArrayList<>();
  private StateStore store;
  private String db;
  private DatabaseInsight insight;

  @BeforeAll
  static void start() {
    maria = MariaInstance.start();
  }

  @AfterAll
  static void stop() {
    if (maria != null) {
      maria.close();
    }
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private String url() {
    return "mariadb://root@127.0.0.1:" + maria.port() + "/" + db;
  }

  /** A new database with the planted problems, insight over it and a state store. */
  private void plant() {
    db = "shop" + (++databases);
    maria.exec("mysql", "CREATE DATABASE " + db);
    maria.exec(db,
        "CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, note VARCHAR(32) NOT NULL, "
            + "KEY orders_note (note), KEY orders_note_twin (note)) ENGINE=InnoDB",
        "INSERT INTO orders(customer_id, note) SELECT seq % 5000, md5(seq) FROM seq_1_to_100000",
        "CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, sku VARCHAR(32) NOT NULL, qty INT NOT NULL, "
            + "KEY items_sku (sku)) ENGINE=InnoDB STATS_AUTO_RECALC=0",
        "ANALYZE TABLE items",
        "INSERT INTO items(sku, qty) SELECT md5(seq), seq % 100 FROM seq_1_to_50000",
        "CREATE TABLE logs (id INT AUTO_INCREMENT PRIMARY KEY, body VARCHAR(400)) ENGINE=InnoDB",
        "INSERT INTO logs(body) SELECT repeat(md5(seq), 12) FROM seq_1_to_100000",
        "DELETE FROM logs WHERE id <= 80000",
        "ANALYZE TABLE orders, logs");
    // the deleted rows' pages return to the tablespace once InnoDB's purge has run
    await().atMost(Duration.ofSeconds(60)).until(() -> free("logs") >= 20L << 20);
    store = StateStore.open(null, dir.resolve("state"));
    insight = DatabaseInsight.open(db, DatabaseUrl.parse(url()), store,
        InsightSettings.DEFAULTS.withUnusedMinAge(Duration.ofMinutes(1)), clock);
  }

  private long free(String table) throws Exception {
    try (Connection c = maria.connect(db); PreparedStatement ps = c.prepareStatement(
        "SELECT DATA_FREE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, db);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Three minutes of lookups by customer (full scans) and writes, each ended by a snapshot. */
  private void history() throws Exception {
    insight.snapshot();
    Random r = new Random(3);
    for (int m = 0; m < 3; m++) {
      try (Connection c = maria.connect(db);
          PreparedStatement read = c.prepareStatement("SELECT id, note FROM orders WHERE customer_id = ?");
          PreparedStatement write = c.prepareStatement("INSERT INTO orders(customer_id, note) VALUES (?, ?)")) {
        for (int i = 0; i < 20; i++) {
          read.setInt(1, r.nextInt(5000));
          try (ResultSet rs = read.executeQuery()) {
            while (rs.next()) {
              rs.getLong(1);
            }
          }
          write.setInt(1, r.nextInt(5000));
          write.setString(2, Long.toHexString(r.nextLong()));
          write.executeUpdate();
        }
      }
      clock.advance(Duration.ofMinutes(1));
      insight.snapshot();
    }
    insight.indexes(); // first sight of the indexes; unused needs them watched for a minute
    clock.advance(Duration.ofMinutes(2));
  }

  private Optimizer optimizer() {
    OptimizerOptions options = OptimizerOptions.defaults().withClock(clock).withMinSamples(8)
        .withWindows(Duration.ofMinutes(15), Duration.ofMinutes(30));
    List<Tuning> tunings = DatabaseTunings.of(insight, DatabaseUrl.parse(url()), IndexTuning.DEFAULT_MAX_TABLE_BYTES);
    return new Optimizer(options, tunings, new OptimizerHooks() {
      @Override
      public void audit(String action, String resource, String outcome, Map<String, Object> facts) {
      }

      @Override
      public void checkpoint(String label) {
        checkpoints.add(label);
      }

      @Override
      public boolean busy() {
        return false;
      }
    }, store);
  }

  /** Index name to its columns, for the database of the test. */
  private Map<String, String> schema() throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = maria.connect(db); PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, INDEX_NAME, "
        + "GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX), MIN(NON_UNIQUE) FROM information_schema.STATISTICS "
        + "WHERE TABLE_SCHEMA = ? GROUP BY TABLE_NAME, INDEX_NAME")) {
      ps.setString(1, db);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1) + "." + rs.getString(2), rs.getString(3) + (rs.getInt(4) == 0 ? " unique" : ""));
        }
      }
    }
    return out;
  }

  /** Table to InnoDB's persistent statistics {n_rows, last_update}. */
  private Map<String, String> statistics() throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = maria.connect(db); PreparedStatement ps = c.prepareStatement(
        "SELECT table_name, n_rows, last_update FROM mysql.innodb_table_stats WHERE database_name = ?")) {
      ps.setString(1, db);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2) + " @ " + rs.getString(3));
        }
      }
    }
    return out;
  }

  private static RunReport.Item item(RunReport r, String kind) {
    return r.items().stream().filter(i -> i.proposal().kind().equals(kind)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " proposal in " + r.items()));
  }

  private static long rows(Map<String, String> statistics, String table) {
    return Long.parseLong(statistics.get(table).substring(0, statistics.get(table).indexOf(' ')));
  }

  @Test
  void eachActionProposesAtItsLevelAppliesAndUndoes() throws Exception {
    plant();
    history();
    Map<String, String> before = schema();
    assertThat(rows(statistics(), "items")).isZero();
    Optimizer optimizer = optimizer();

    RunReport medium = optimizer.run(Level.MEDIUM, false, false, "test");
    assertThat(medium.problems()).isEmpty();
    assertThat(item(medium, "analyze").proposal().target()).isEqualTo(db + ": " + db + ".items");
    assertThat(item(medium, "create_index").proposal().level()).isEqualTo(Level.HIGH);
    assertThat(item(medium, "vacuum").proposal().level()).isEqualTo(Level.HIGH);
    assertThat(item(medium, "drop_duplicate_index").proposal().level()).isEqualTo(Level.AGGRESSIVE);
    assertThat(item(medium, "drop_unused_index").proposal().level()).isEqualTo(Level.AGGRESSIVE);
    assertThat(medium.items()).filteredOn(i -> i.outcome() == RunReport.Outcome.APPLIED)
        .allMatch(i -> i.proposal().kind().equals("analyze")).isNotEmpty();
    assertThat(schema()).isEqualTo(before);
    assertThat(rows(statistics(), "items")).isGreaterThan(40_000);
    assertThat(free("logs")).isGreaterThanOrEqualTo(20L << 20);

    RunReport high = optimizer.run(Level.HIGH, false, false, "test");
    RunReport.Item build = item(high, "create_index");
    assertThat(build.outcome()).isEqualTo(RunReport.Outcome.APPLIED);
    assertThat(build.proposal().target()).isEqualTo(db + ": " + db + ".orders(customer_id)");
    // measured by the lookups it serves, guarded by the table's inserts (found in performance_schema digests)
    assertThat(build.proposal().details().get("shapes")).asList().hasSize(1);
    assertThat(build.proposal().details().get("guard_shapes")).asList().hasSize(1);
    assertThat(item(medium, "drop_duplicate_index").proposal().details().get("guard_shapes")).asList()
        .isNotEmpty();
    assertThat(item(high, "vacuum").outcome()).isEqualTo(RunReport.Outcome.APPLIED);
    assertThat(schema()).containsEntry("orders.vigil_opt_" + db + "_orders_customer_id", "customer_id");
    assertThat(free("logs")).isLessThan(20L << 20);

    RunReport aggressive = optimizer.run(Level.AGGRESSIVE, false, false, "test");
    assertThat(checkpoints).hasSize(1);
    RunReport.Item duplicate = item(aggressive, "drop_duplicate_index");
    RunReport.Item unused = item(aggressive, "drop_unused_index");
    assertThat(duplicate.outcome()).isEqualTo(RunReport.Outcome.APPLIED);
    assertThat(unused.outcome()).isEqualTo(RunReport.Outcome.APPLIED);
    assertThat(schema()).doesNotContainKeys("orders." + duplicate.proposal().details().get("index"),
        "items." + unused.proposal().details().get("index"));

    optimizer.rollback(build.actionId(), "test");
    optimizer.rollback(duplicate.actionId(), "test");
    optimizer.rollback(unused.actionId(), "test");
    assertThat(schema()).isEqualTo(before);
    assertThatThrownBy(() -> optimizer.rollback(item(medium, "analyze").actionId(), "test"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot be undone");
  }

  @Test
  void aDryRunAtAggressiveChangesNothing() throws Exception {
    plant();
    history();
    Map<String, String> indexes = schema();
    Map<String, String> statistics = statistics();
    long free = free("logs");
    RunReport dry = optimizer().run(Level.AGGRESSIVE, true, true, "test");
    assertThat(dry.items()).extracting(i -> i.proposal().kind()).contains("analyze", "create_index", "vacuum",
        "drop_duplicate_index", "drop_unused_index");
    assertThat(dry.items()).allMatch(i -> i.outcome() == RunReport.Outcome.DRY_RUN);
    assertThat(schema()).isEqualTo(indexes);
    assertThat(statistics()).isEqualTo(statistics);
    assertThat(free("logs")).isEqualTo(free);
    assertThat(checkpoints).isEmpty();
  }
}
