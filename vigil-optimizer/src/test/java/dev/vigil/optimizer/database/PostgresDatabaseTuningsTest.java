package dev.vigil.optimizer.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.MutableClock;
import dev.vigil.insight.DatabaseInsight;
import dev.vigil.insight.InsightSettings;
import dev.vigil.insight.testing.PgInstance;
import dev.vigil.optimizer.ActionRecord;
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
import java.sql.Statement;
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
 * The database tunings on a real PostgreSQL 15 (own instance with pg_stat_statements and HypoPG, one
 * database per test) with planted problems: a lookup without an index, stale statistics, a bloated
 * table, an unused and a duplicate index. Insight's snapshots are taken by hand on a clock the test moves.
 */
class PostgresDatabaseTuningsTest {
  private static PgInstance pg;
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
    pg = PgInstance.start();
  }

  @AfterAll
  static void stop() {
    if (pg != null) {
      pg.close();
    }
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  /** A new database with the extensions, insight over it, and a state store. */
  private void database() {
    db = "app" + (++databases);
    pg.exec("postgres", "CREATE DATABASE " + db);
    pg.exec(db, "CREATE EXTENSION pg_stat_statements", "CREATE EXTENSION hypopg");
    store = StateStore.open(null, dir.resolve("state"));
    insight = DatabaseInsight.open(db, DatabaseUrl.parse(pg.url("postgres", db)), store,
        InsightSettings.DEFAULTS.withUnusedMinAge(Duration.ofMinutes(1)), clock);
  }

  /** Orders without an index on customer_id, items with stale statistics, bloated logs, unused and duplicate indexes. */
  private void plant() {
    pg.exec(db, "CREATE TABLE orders(id bigserial PRIMARY KEY, customer_id int, note text)",
        "INSERT INTO orders(customer_id, note) SELECT g % 5000, md5(g::text) FROM generate_series(1, 200000) g",
        "CREATE INDEX orders_note_idx ON orders(note)", "CREATE INDEX orders_note_twin ON orders(note)",
        "ANALYZE orders",
        "CREATE TABLE items(id bigserial PRIMARY KEY, sku text, qty int)", "ANALYZE items",
        "INSERT INTO items(sku, qty) SELECT md5(g::text), g % 100 FROM generate_series(1, 50000) g",
        "CREATE TABLE logs(id bigserial PRIMARY KEY, body text)",
        "INSERT INTO logs(body) SELECT repeat(md5(g::text), 6) FROM generate_series(1, 100000) g",
        "CREATE INDEX logs_body_idx ON logs(body)",
        "DELETE FROM logs WHERE id % 10 < 7", "ANALYZE logs");
  }

  /** One snapshot interval of the application's work: lookups by customer, a few writes and scans. */
  private void work(int lookups, int inserts) throws Exception {
    Random r = new Random(lookups * 31L + inserts);
    try (Connection c = pg.connect(db);
        PreparedStatement read = c.prepareStatement("SELECT id, note FROM orders WHERE customer_id = ?");
        PreparedStatement write = c.prepareStatement("INSERT INTO orders(customer_id, note) VALUES (?, ?)");
        PreparedStatement items = c.prepareStatement("SELECT count(*) FROM items WHERE qty = ?")) {
      for (int i = 0; i < lookups; i++) {
        read.setInt(1, r.nextInt(5000));
        try (ResultSet rs = read.executeQuery()) {
          while (rs.next()) {
            rs.getLong(1);
          }
        }
        items.setInt(1, r.nextInt(100));
        try (ResultSet rs = items.executeQuery()) {
          rs.next();
        }
      }
      for (int i = 0; i < inserts; i++) {
        write.setInt(1, r.nextInt(5000));
        write.setString(2, Long.toHexString(r.nextLong()));
        write.executeUpdate();
      }
    }
  }

  /** A baseline snapshot, then {@code intervals} minutes of work, each ended by a snapshot. */
  private void history(int intervals) throws Exception {
    pg.exec(db, "SELECT pg_stat_statements_reset()");
    insight.snapshot();
    for (int i = 0; i < intervals; i++) {
      work(20, 20);
      clock.advance(Duration.ofMinutes(1));
      insight.snapshot();
    }
  }

  private Optimizer optimizer(List<Tuning> tunings) {
    OptimizerOptions options = OptimizerOptions.defaults().withClock(clock).withMinSamples(8)
        .withWindows(Duration.ofMinutes(15), Duration.ofMinutes(30));
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

  private List<Tuning> tunings() {
    return DatabaseTunings.of(insight, DatabaseUrl.parse(pg.url("postgres", db)), IndexTuning.DEFAULT_MAX_TABLE_BYTES);
  }

  /** Index name to definition, for the tables of the test. */
  private Map<String, String> schema() throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = pg.connect(db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  /** Table to {last_analyze, last_vacuum, n_dead_tup}. */
  private Map<String, List<String>> maintenance() throws Exception {
    Map<String, List<String>> out = new TreeMap<>();
    try (Connection c = pg.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT relname, last_analyze::text, last_vacuum::text, n_dead_tup::text FROM pg_stat_user_tables")) {
      while (rs.next()) {
        List<String> v = new ArrayList<>();
        for (int i = 2; i <= 4; i++) {
          v.add(String.valueOf(rs.getString(i)));
        }
        out.put(rs.getString(1), v);
      }
    }
    return out;
  }

  private static RunReport.Item item(RunReport r, String kind) {
    return r.items().stream().filter(i -> i.proposal().kind().equals(kind)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " proposal in " + r.items()));
  }

  @Test
  void eachActionProposesAtItsLevelAppliesAndUndoes() throws Exception {
    database();
    plant();
    history(3);
    insight.indexes(); // first sight of the indexes; unused needs them watched for a minute
    clock.advance(Duration.ofMinutes(2));
    Map<String, String> before = schema();
    Optimizer optimizer = optimizer(tunings());

    RunReport medium = optimizer.run(Level.MEDIUM, false, false, "test");
    assertThat(medium.problems()).isEmpty();
    assertThat(item(medium, "analyze").proposal().level()).isEqualTo(Level.MEDIUM);
    assertThat(item(medium, "create_index").proposal().level()).isEqualTo(Level.HIGH);
    assertThat(item(medium, "vacuum").proposal().level()).isEqualTo(Level.HIGH);
    assertThat(item(medium, "drop_unused_index").proposal().level()).isEqualTo(Level.AGGRESSIVE);
    assertThat(item(medium, "drop_duplicate_index").proposal().level()).isEqualTo(Level.AGGRESSIVE);
    // at medium only ANALYZE happens
    assertThat(medium.items()).filteredOn(i -> i.outcome() == RunReport.Outcome.APPLIED)
        .extracting(i -> i.proposal().kind() + " " + i.proposal().target()).contains("analyze " + db
            + ": public.items").allMatch(k -> k.startsWith("analyze "));
    assertThat(medium.items()).filteredOn(i -> i.outcome() != RunReport.Outcome.APPLIED)
        .allMatch(i -> i.outcome() == RunReport.Outcome.NEEDS_LEVEL);
    assertThat(schema()).isEqualTo(before);
    assertThat(maintenance().get("items").get(0)).isNotEqualTo("null");
    assertThat(maintenance().get("logs").get(1)).isEqualTo("null");

    RunReport high = optimizer.run(Level.HIGH, false, false, "test");
    List<RunReport.Item> builds = high.items().stream().filter(i -> i.proposal().kind().equals("create_index"))
        .toList();
    assertThat(builds).allMatch(i -> i.outcome() == RunReport.Outcome.APPLIED)
        .extracting(i -> i.proposal().target()).contains(db + ": public.orders(customer_id)");
    assertThat(item(high, "vacuum").outcome()).isEqualTo(RunReport.Outcome.APPLIED);
    assertThat(item(high, "drop_unused_index").outcome()).isEqualTo(RunReport.Outcome.NEEDS_LEVEL);
    String built = "vigil_opt_public_orders_customer_id";
    assertThat(schema()).containsKey(built).hasSize(before.size() + builds.size());
    assertThat(maintenance().get("logs").get(1)).isNotEqualTo("null");
    assertThat(maintenance().get("logs").get(2)).isEqualTo("0");
    assertThat(checkpoints).isEmpty();

    RunReport aggressive = optimizer.run(Level.AGGRESSIVE, false, false, "test");
    assertThat(checkpoints).hasSize(1);
    RunReport.Item unused = item(aggressive, "drop_unused_index");
    RunReport.Item duplicate = item(aggressive, "drop_duplicate_index");
    assertThat(unused.outcome()).isEqualTo(RunReport.Outcome.APPLIED);
    assertThat(unused.proposal().details().get("index")).isEqualTo("logs_body_idx");
    assertThat(duplicate.outcome()).isEqualTo(RunReport.Outcome.APPLIED);
    assertThat(duplicate.proposal().details().get("index")).isEqualTo("orders_note_twin");
    assertThat(schema()).doesNotContainKeys("logs_body_idx", "orders_note_twin").containsKey("orders_note_idx");

    // undo: the index goes, the dropped ones come back with their definitions
    for (RunReport.Item b : builds) {
      optimizer.rollback(b.actionId(), "test");
    }
    optimizer.rollback(unused.actionId(), "test");
    optimizer.rollback(duplicate.actionId(), "test");
    assertThat(schema()).isEqualTo(before);
    // ANALYZE and VACUUM cannot be undone: said so, not faked
    String analyzeId = item(medium, "analyze").actionId();
    assertThat(item(medium, "analyze").proposal().reversible()).isFalse();
    assertThatThrownBy(() -> optimizer.rollback(analyzeId, "test")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be undone").hasMessageContaining("no earlier copy");
    Tuning analyze = tunings().stream().filter(t -> t.name().equals("db.analyze." + db)).findFirst().orElseThrow();
    assertThatThrownBy(() -> analyze.undo(item(medium, "analyze").proposal(), Map.of("statement", "ANALYZE x")))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("no earlier copy");
    // measured without a gain at the end of the window, they are left in place and recorded so
    clock.advance(Duration.ofMinutes(31));
    optimizer.observe();
    ActionRecord analyzed = optimizer.action(analyzeId).orElseThrow();
    assertThat(analyzed.status()).isEqualTo(ActionRecord.Status.LEFT_IN_PLACE);
    assertThat(analyzed.decision()).contains("cannot be undone");
    assertThat(optimizer.action(item(high, "vacuum").actionId()).orElseThrow().status())
        .isEqualTo(ActionRecord.Status.LEFT_IN_PLACE);
  }

  @Test
  void aDryRunAtAggressiveChangesNothing() throws Exception {
    database();
    plant();
    history(3);
    insight.indexes();
    clock.advance(Duration.ofMinutes(2));
    Map<String, String> indexes = schema();
    Map<String, List<String>> tables = maintenance();
    RunReport dry = optimizer(tunings()).run(Level.AGGRESSIVE, true, true, "test");
    assertThat(dry.items()).extracting(i -> i.proposal().kind()).contains("analyze", "create_index", "vacuum",
        "drop_unused_index", "drop_duplicate_index");
    assertThat(dry.items()).allMatch(i -> i.outcome() == RunReport.Outcome.DRY_RUN);
    assertThat(schema()).isEqualTo(indexes);
    assertThat(maintenance()).isEqualTo(tables);
    assertThat(checkpoints).isEmpty();
  }

  @Test
  void anAdvisedIndexThatSlowsAWriteHeavyTableIsRolledBackByTheWriteGuard() throws Exception {
    database();
    // events is written all the time; a rare lookup by its wide column makes the advisor suggest an index on it
    pg.exec(db, "CREATE TABLE events(id bigserial PRIMARY KEY, a text, b text, c int)",
        "INSERT INTO events(a, b, c) SELECT repeat(md5(g::text), 20), md5(g::text), g FROM generate_series(1, 20000) g",
        "ANALYZE events");
    pg.exec(db, "SELECT pg_stat_statements_reset()");
    insight.snapshot();
    Random r = new Random(7);
    Runnable minute = () -> {
      try (Connection c = pg.connect(db);
          PreparedStatement write = c.prepareStatement("INSERT INTO events(a, b, c) VALUES (?, ?, ?)");
          PreparedStatement read = c.prepareStatement("SELECT id FROM events WHERE a = ?")) {
        for (int i = 0; i < 300; i++) {
          String a = Long.toHexString(r.nextLong());
          write.setString(1, a.repeat(40));
          write.setString(2, a);
          write.setInt(3, i);
          write.executeUpdate();
        }
        for (int i = 0; i < 3; i++) {
          read.setString(1, Long.toHexString(r.nextLong()).repeat(40));
          try (ResultSet rs = read.executeQuery()) {
            rs.next();
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      clock.advance(Duration.ofMinutes(1));
      insight.snapshot();
    };
    for (int i = 0; i < 10; i++) {
      minute.run();
    }
    Tuning index = tunings().stream().filter(t -> t.name().equals("db.index." + db)).findFirst().orElseThrow();
    Optimizer optimizer = optimizer(List.of(index));
    RunReport run = optimizer.run(Level.HIGH, false, false, "test");
    RunReport.Item applied = item(run, "create_index");
    assertThat(applied.outcome()).isEqualTo(RunReport.Outcome.APPLIED);
    assertThat(applied.proposal().target()).isEqualTo(db + ": public.events(a)");
    assertThat(applied.proposal().details().get("guard_shapes")).asList().hasSize(1);
    assertThat(schema()).containsKey("vigil_opt_public_events_a");
    ActionRecord decided = null;
    for (int i = 0; i < 25 && decided == null; i++) {
      minute.run();
      decided = optimizer.observe().stream().filter(a -> a.id().equals(applied.actionId())).findFirst().orElse(null);
    }
    assertThat(decided).as("decided within the observation window").isNotNull();
    assertThat(decided.status()).isEqualTo(ActionRecord.Status.ROLLED_BACK);
    assertThat(decided.decision()).contains("harmed writes to public.events");
    assertThat(decided.decidedAt()).isBefore(decided.observeUntil());
    assertThat(schema()).doesNotContainKey("vigil_opt_public_events_a");
  }
  @Test
  void anAdvisedIndexThatSpeedsUpItsShapesIsKeptWithItsFigures() throws Exception {
    database();
    pg.exec(db, "CREATE TABLE customers(id bigserial PRIMARY KEY, email text, city text)",
        "INSERT INTO customers(email, city) SELECT 'c' || g || '@example.com', 'city ' || (g % 300) "
            + "FROM generate_series(1, 200000) g",
        "ANALYZE customers");
    pg.exec(db, "SELECT pg_stat_statements_reset()");
    insight.snapshot();
    Random r = new Random(11);
    Runnable minute = () -> {
      try (Connection c = pg.connect(db);
          PreparedStatement read = c.prepareStatement("SELECT id, city FROM customers WHERE email = ?")) {
        for (int i = 0; i < 5; i++) {
          read.setString(1, "c" + (1 + r.nextInt(200000)) + "@example.com");
          try (ResultSet rs = read.executeQuery()) {
            rs.next();
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      clock.advance(Duration.ofMinutes(1));
      insight.snapshot();
    };
    for (int i = 0; i < 10; i++) {
      minute.run();
    }
    Tuning index = tunings().stream().filter(t -> t.name().equals("db.index." + db)).findFirst().orElseThrow();
    Optimizer optimizer = optimizer(List.of(index));
    RunReport.Item applied = item(optimizer.run(Level.HIGH, false, false, "test"), "create_index");
    assertThat(applied.outcome()).isEqualTo(RunReport.Outcome.APPLIED);
    assertThat(applied.proposal().target()).isEqualTo(db + ": public.customers(email)");
    ActionRecord decided = null;
    for (int i = 0; i < 25 && decided == null; i++) {
      minute.run();
      decided = optimizer.observe().stream().filter(a -> a.id().equals(applied.actionId())).findFirst().orElse(null);
    }
    assertThat(decided).as("decided within the observation window").isNotNull();
    assertThat(decided.status()).as(decided.decision()).isEqualTo(ActionRecord.Status.KEPT);
    assertThat(decided.after()).isLessThan(decided.before() * (1 - IndexTuning.MIN_GAIN));
    assertThat(decided.confidence()).isGreaterThanOrEqualTo(0.99);
    assertThat(decided.decidedAt()).isBefore(decided.observeUntil());
    assertThat(schema()).containsKey("vigil_opt_public_customers_email");
  }
}
