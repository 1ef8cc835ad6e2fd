package dev.vigil.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.MutableClock;
import dev.vigil.optimizer.database.IndexCandidate;
import dev.vigil.optimizer.database.IndexTuning;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * The engine over a real SQLite application database with a real workload: an index that serves the
 * reads is kept with before/after figures, one that only slows the writes is rolled back by itself,
 * levels and dry runs change only what they may, and any change can be rolled back by hand.
 */
class OptimizerTest {
  @TempDir
  Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final List<Map<String, Object>> audited = new ArrayList<>();
  private final List<String> checkpoints = new ArrayList<>();
  private SQLiteDataSource app;
  private StateStore store;
  private RecordedProbe reads;
  private RecordedProbe writes;
  private final List<IndexCandidate> advice = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    app = new SQLiteDataSource();
    app.setUrl("jdbc:sqlite:" + dir.resolve("app.db"));
    try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=MEMORY");
      s.execute("CREATE TABLE orders(id INTEGER PRIMARY KEY, customer_id INTEGER, note TEXT)");
      s.execute("CREATE TABLE events(id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT)");
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement("INSERT INTO orders(customer_id, note) VALUES (?, ?)")) {
        for (int i = 0; i < 60_000; i++) {
          p.setInt(1, i % 5000);
          p.setString(2, "order " + i);
          p.addBatch();
        }
        p.executeBatch();
      }
      c.commit();
    }
    store = StateStore.open(null, dir.resolve("state"));
    reads = new RecordedProbe("orders by customer (ms)", true, clock, Duration.ofDays(1));
    writes = new RecordedProbe("events insert batch (ms)", true, clock, Duration.ofDays(1));
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private Optimizer optimizer(Level level) {
    IndexTuning tuning = new IndexTuning("db.index.app", app, IndexTuning.Dialect.SQLITE, () -> List.copyOf(advice),
        c -> c.table().equals("orders") ? reads : writes,
        c -> c.table().equals("events") ? List.of(writes) : List.of());
    OptimizerOptions options = OptimizerOptions.defaults().withLevel(level).withClock(clock)
        .withWindows(Duration.ofMinutes(5), Duration.ofMinutes(10)).withMinSamples(25);
    return new Optimizer(options, List.of(tuning), new OptimizerHooks() {
      @Override
      public void audit(String action, String resource, String outcome, Map<String, Object> facts) {
        audited.add(Map.of("action", action, "resource", resource, "outcome", outcome, "facts", facts));
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

  private void readOrders(int times) throws Exception {
    Random r = new Random(times);
    try (Connection c = app.getConnection();
        PreparedStatement p = c.prepareStatement("SELECT count(*), max(note) FROM orders WHERE customer_id = ?")) {
      for (int i = 0; i < times; i++) {
        p.setInt(1, r.nextInt(5000));
        reads.time(() -> {
          try (ResultSet rs = p.executeQuery()) {
            rs.next();
          }
        });
        clock.advance(Duration.ofSeconds(5));
      }
    }
  }

  private void writeEvents(int batches) throws Exception {
    Random r = new Random(batches);
    try (Connection c = app.getConnection();
        PreparedStatement p = c.prepareStatement("INSERT INTO events(a, b, c) VALUES (?, ?, ?)")) {
      c.setAutoCommit(false);
      for (int i = 0; i < batches; i++) {
        writes.time(() -> {
          for (int k = 0; k < 300; k++) {
            p.setString(1, randomText(r));
            p.setString(2, randomText(r));
            p.setString(3, randomText(r));
            p.addBatch();
          }
          p.executeBatch();
          c.commit();
        });
        clock.advance(Duration.ofSeconds(5));
      }
    }
  }

  private static String randomText(Random r) {
    StringBuilder b = new StringBuilder(120);
    for (int i = 0; i < 120; i++) {
      b.append((char) ('a' + r.nextInt(26)));
    }
    return b.toString();
  }

  private boolean indexExists(String name) throws Exception {
    try (Connection c = app.getConnection();
        PreparedStatement p = c.prepareStatement("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?")) {
      p.setString(1, name);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() && rs.getInt(1) == 1;
      }
    }
  }

  @Test
  void anIndexThatServesTheReadsIsKeptWithBeforeAndAfterFigures() throws Exception {
    IndexCandidate c = new IndexCandidate("app", "orders", List.of("customer_id"), "seq scan per lookup",
        List.of("orders by customer"));
    advice.add(c);
    Optimizer optimizer = optimizer(Level.HIGH);
    readOrders(40);
    RunReport report = optimizer.run(null, false, false, "job:optimizer");
    assertThat(report.items()).singleElement().satisfies(i -> assertThat(i.outcome()).isEqualTo(RunReport.Outcome.APPLIED));
    assertThat(indexExists(c.indexName())).isTrue();
    readOrders(40);
    List<ActionRecord> decided = optimizer.observe();
    assertThat(decided).singleElement().satisfies(a -> {
      assertThat(a.status()).isEqualTo(ActionRecord.Status.KEPT);
      assertThat(a.before()).isGreaterThan(a.after() * 5);
      assertThat(a.confidence()).isGreaterThan(0.99);
      assertThat(a.decision()).contains("improved");
    });
    assertThat(indexExists(c.indexName())).isTrue();
    assertThat(audited).extracting(m -> m.get("action")).containsExactly("optimizer.apply", "optimizer.keep");
    assertThat(optimizer.run(null, false, false, "job:optimizer").items()).singleElement()
        .satisfies(i -> assertThat(i.outcome()).isEqualTo(RunReport.Outcome.ACTIVE));
  }

  @Test
  void anIndexThatOnlySlowsAWriteHeavyTableIsRolledBackByItself() throws Exception {
    for (String col : List.of("a", "b", "c")) {
      advice.add(new IndexCandidate("app", "events", List.of(col), "planted harmful index", List.of("events")));
    }
    Optimizer optimizer = optimizer(Level.HIGH);
    writeEvents(30);
    assertThat(optimizer.run(null, false, false, "job:optimizer").items())
        .allSatisfy(i -> assertThat(i.outcome()).isEqualTo(RunReport.Outcome.APPLIED));
    writeEvents(30);
    List<ActionRecord> decided = optimizer.observe();
    assertThat(decided).hasSize(3).allSatisfy(a -> {
      assertThat(a.status()).isEqualTo(ActionRecord.Status.ROLLED_BACK);
      assertThat(a.decision()).containsAnyOf("worse", "harmed");
    });
    for (IndexCandidate c : advice) {
      assertThat(indexExists(c.indexName())).as(c.indexName()).isFalse();
    }
    assertThat(optimizer.run(null, false, false, "job:optimizer").items())
        .allSatisfy(i -> assertThat(i.outcome()).isEqualTo(RunReport.Outcome.SKIPPED));
  }

  @Test
  void levelsAndDryRunsApplyOnlyWhatTheyMay() throws Exception {
    IndexCandidate c = new IndexCandidate("app", "orders", List.of("customer_id"), "seq scan", List.of("orders"));
    advice.add(c);
    Optimizer optimizer = optimizer(Level.LOW);
    assertThat(optimizer.run(null, false, false, "job:optimizer").items()).singleElement().satisfies(i -> {
      assertThat(i.outcome()).isEqualTo(RunReport.Outcome.NEEDS_LEVEL);
      assertThat(i.note()).contains("high");
    });
    assertThat(optimizer.run(Level.MEDIUM, true, false, "cli:test").items()).singleElement()
        .satisfies(i -> assertThat(i.outcome()).isEqualTo(RunReport.Outcome.NEEDS_LEVEL));
    assertThat(optimizer.run(Level.AGGRESSIVE, false, true, "cli:test").items()).singleElement()
        .satisfies(i -> assertThat(i.outcome()).isEqualTo(RunReport.Outcome.DRY_RUN));
    assertThat(indexExists(c.indexName())).isFalse();
    assertThat(optimizer.history(10)).isEmpty();
    assertThat(checkpoints).isEmpty();
    optimizer.level(Level.HIGH, "cli:test");
    assertThat(optimizer.level()).isEqualTo(Level.HIGH);
    assertThatThrownBy(() -> Level.parse("extreme")).hasMessageContaining("low, medium, high, aggressive");
  }

  @Test
  void anyAppliedChangeCanBeRolledBackByHand() throws Exception {
    IndexCandidate c = new IndexCandidate("app", "orders", List.of("customer_id", "note"), "sort", List.of("orders"));
    advice.add(c);
    Optimizer optimizer = optimizer(Level.HIGH);
    String id = optimizer.run(null, false, false, "job:optimizer").items().get(0).actionId();
    assertThat(indexExists(c.indexName())).isTrue();
    ActionRecord back = optimizer.rollback(id, "cli:test");
    assertThat(back.status()).isEqualTo(ActionRecord.Status.ROLLED_BACK_MANUALLY);
    assertThat(indexExists(c.indexName())).isFalse();
    assertThatThrownBy(() -> optimizer.rollback(id, "cli:test")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not applied");
    assertThatThrownBy(() -> optimizer.rollback("nope", "cli:test")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> new IndexCandidate("app", "orders; DROP TABLE x", List.of("a"), "", List.of()))
        .hasMessageContaining("identifier");
  }
}
