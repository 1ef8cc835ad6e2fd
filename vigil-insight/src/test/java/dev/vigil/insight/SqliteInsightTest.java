package dev.vigil.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.core.store.StateStore;
import dev.vigil.insight.testing.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Database insight over a real SQLite file: catalog, dbstat sizes, and the .expert advisor. */
class SqliteInsightTest {
  @TempDir
  static Path dir;
  static StateStore store;
  static DatabaseInsight app;
  static Path file;

  @BeforeAll
  static void start() throws Exception {
    file = dir.resolve("app.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, status TEXT NOT NULL, "
          + "created_at INTEGER NOT NULL, total INTEGER NOT NULL)");
      s.execute("WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 50000) "
          + "INSERT INTO orders SELECT n, n % 2000, CASE n % 4 WHEN 0 THEN 'new' ELSE 'done' END, n * 60, n % 100 FROM g");
      s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
      s.execute("CREATE INDEX orders_total ON orders (total)");
      s.execute("CREATE INDEX orders_total_again ON orders (total)");
      s.execute("CREATE INDEX orders_status_created ON orders (status, created_at)");
      s.execute("CREATE INDEX orders_status ON orders (status)");
      // neither covers the other: the orders differ
      s.execute("CREATE INDEX orders_total_desc_created ON orders (total DESC, created_at)");
      // two different expressions are not duplicates
      s.execute("CREATE INDEX orders_lower_status ON orders (lower(status))");
      s.execute("CREATE INDEX orders_upper_status ON orders (upper(status))");
      s.execute("ANALYZE");
    }
    store = StateStore.open(null, dir.resolve("state"));
    app = DatabaseInsight.open("app", DatabaseUrl.parse("sqlite://" + file), store, InsightSettings.DEFAULTS,
        new MutableClock(Instant.parse("2026-12-01T10:00:00Z")));
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void catalogSizesAndDuplicates() {
    IndexReport indexes = app.indexes();
    assertThat(indexes.duplicates()).extracting(IndexInfo::name)
        .containsExactlyInAnyOrder("orders_total_again", "orders_status");
    assertThat(index(indexes, "orders_total_again").duplicateOf()).isEqualTo("orders_total");
    assertThat(index(indexes, "orders_total_again").coveredBy()).isNull();
    // a prefix of a wider index with the same leading column is redundant
    assertThat(index(indexes, "orders_status").coveredBy()).isEqualTo("orders_status_created");
    assertThat(index(indexes, "orders_status").duplicateOf()).isNull();
    assertThat(index(indexes, "orders_status_created").coveredBy()).isNull();
    assertThat(index(indexes, "orders_total").coveredBy()).isNull();
    assertThat(indexes.indexes()).allSatisfy(i -> assertThat(i.sizeBytes()).isPositive());
    assertThat(indexes.unused()).isEmpty();
    TableReport tables = app.tables();
    assertThat(tables.tables().get(0).name()).isEqualTo("orders");
    assertThat(tables.tables().get(0).liveRows()).isEqualTo(50_000);
    assertThat(tables.tables().get(0).tableBytes()).isPositive();
    assertThat(app.queries(Window.parse("1h"), QuerySort.TOTAL_TIME, 10).notes())
        .anyMatch(n -> n.contains("adviceFor"));
    assertThat(app.activity().notes()).isNotEmpty();
    AdviceReport advice = app.advice();
    assertThat(advice.of(Advice.Kind.DROP_DUPLICATE_INDEX)).extracting(Advice::statement)
        .containsExactlyInAnyOrder("DROP INDEX IF EXISTS \"orders_total_again\"", "DROP INDEX IF EXISTS \"orders_status\"");
    assertThat(advice.of(Advice.Kind.DROP_DUPLICATE_INDEX)).filteredOn(a -> a.index().equals("orders_status"))
        .singleElement().satisfies(a -> {
          assertThat(a.reason()).isEqualTo("index orders_status is a prefix of orders_status_created, which serves "
              + "the same lookups");
          assertThat(a.undo()).isEqualTo("CREATE INDEX orders_status ON orders (status)");
        });
  }

  @Test
  void expertSuggestsIndexesOnlyForScans() {
    AdviceReport r = app.adviceFor(List.of(
        "SELECT id, total FROM orders WHERE customer_id = ?",
        "SELECT id FROM orders WHERE status = ? ORDER BY created_at DESC LIMIT 10",
        "SELECT total FROM orders WHERE id = ?"));
    assertThat(r.of(Advice.Kind.CREATE_INDEX)).singleElement().satisfies(a -> {
      assertThat(a.statement()).isEqualTo("CREATE INDEX IF NOT EXISTS orders_customer_id_idx ON orders (customer_id)");
      assertThat(a.undo()).isEqualTo("DROP INDEX IF EXISTS orders_customer_id_idx");
      assertThat(a.method()).isEqualTo("sqlite-expert");
      assertThat(a.shapeIds()).hasSize(1);
    });
    assertThatThrownBy(() -> app.adviceFor(List.of())).isInstanceOf(IllegalArgumentException.class);
    // hostile statements never reach the sqlite3 shell
    assertThatThrownBy(() -> app.adviceFor(List.of("SELECT 1 FROM orders WHERE id = 1; DROP TABLE orders")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> app.adviceFor(List.of("SELECT * FROM orders\n.shell touch /tmp/x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static IndexInfo index(IndexReport r, String name) {
    return r.indexes().stream().filter(i -> i.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no index " + name + " in " + r.indexes()));
  }

  @Test
  void missingFileIsNamed() {
    DatabaseInsight gone = DatabaseInsight.open("gone", DatabaseUrl.parse("sqlite://" + dir.resolve("nope.db")), store,
        InsightSettings.DEFAULTS, new MutableClock(Instant.EPOCH));
    assertThatThrownBy(gone::indexes).isInstanceOf(InsightException.class).hasMessageContaining("nope.db");
  }
}
