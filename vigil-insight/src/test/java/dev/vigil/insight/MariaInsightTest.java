package dev.vigil.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.core.store.StateStore;
import dev.vigil.insight.testing.MariaInstance;
import dev.vigil.insight.testing.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Database insight over a real MariaDB (own instance, performance_schema on) with a smaller shop
 * workload and planted problems; the monitoring user has PROCESS, SELECT on performance_schema and
 * SELECT on the application's schema.
 */
class MariaInsightTest {
  private static final int ORDERS = 200_000;
  @TempDir
  static Path dir;
  static MariaInstance maria;
  static StateStore store;
  static MutableClock clock;
  static DatabaseInsight shop;

  @BeforeAll
  static void start() throws Exception {
    maria = MariaInstance.start();
    maria.exec("mysql", "CREATE DATABASE shop",
        "CREATE USER 'vigil'@'127.0.0.1' IDENTIFIED BY 'pw-mon'",
        "GRANT PROCESS ON *.* TO 'vigil'@'127.0.0.1'",
        "GRANT SELECT ON performance_schema.* TO 'vigil'@'127.0.0.1'",
        "GRANT SELECT ON shop.* TO 'vigil'@'127.0.0.1'");
    maria.exec("shop",
        "CREATE TABLE customers (id BIGINT PRIMARY KEY, city VARCHAR(40) NOT NULL, balance INT NOT NULL) ENGINE=InnoDB",
        "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, status VARCHAR(10) NOT NULL, "
            + "total INT NOT NULL, KEY orders_status (status), KEY orders_status_copy (status)) ENGINE=InnoDB",
        "CREATE TABLE stock_moves (id BIGINT PRIMARY KEY, warehouse_id INT NOT NULL, moved_at DATETIME NOT NULL, "
            + "qty INT NOT NULL) ENGINE=InnoDB",
        "INSERT INTO customers SELECT seq, CONCAT('city ', seq % 100), 0 FROM seq_1_to_10000",
        "CREATE INDEX customers_city ON customers (city)",
        "INSERT INTO orders SELECT seq, 1 + (seq * 7919) % 10000, ELT(1 + seq % 4, 'new', 'paid', 'sent', 'done'), "
            + "seq % 1000 FROM seq_1_to_" + ORDERS,
        "INSERT INTO stock_moves SELECT seq, 1 + (seq * 31) % 50, '2026-01-01' + INTERVAL seq MINUTE, 1 + seq % 9 "
            + "FROM seq_1_to_" + ORDERS / 2,
        "ANALYZE TABLE customers, orders, stock_moves");
    store = StateStore.open(null, dir.resolve("state"));
    clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    shop = DatabaseInsight.open("shop", DatabaseUrl.parse(maria.url("vigil", "pw-mon", "shop")), store,
        InsightSettings.DEFAULTS.withSessionLimits(Duration.ofMinutes(1), Duration.ofMillis(1)), clock);
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
    if (maria != null) {
      maria.close();
    }
  }

  private static final String BY_CUSTOMER = "SELECT id, total FROM orders WHERE customer_id = ?";
  private static final String BY_WAREHOUSE = "SELECT id, qty FROM stock_moves WHERE warehouse_id = ? "
      + "ORDER BY moved_at DESC LIMIT 20";
  private static final String BY_ID = "SELECT id, total FROM orders WHERE id = ?";

  private static void workload(int slowCalls) throws Exception {
    try (Connection c = maria.connect("shop")) {
      for (int i = 1; i <= slowCalls; i++) {
        run(c, BY_CUSTOMER, i * 37 % 10000 + 1);
        run(c, BY_WAREHOUSE, i % 50 + 1);
      }
      for (int i = 1; i <= 200; i++) {
        run(c, BY_ID, i * 997 % ORDERS + 1);
      }
      try (Statement s = c.createStatement()) {
        s.execute("UPDATE customers SET balance = balance + 1 WHERE id = 5");
      }
    }
  }

  private static void run(Connection c, String sql, long arg) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rs.getLong(1);
        }
      }
    }
  }

  private static QueryShape shape(QueryReport r, String text) {
    return r.shapes().stream()
        .filter(s -> s.query().replace("`", "").toLowerCase(java.util.Locale.ROOT).contains(text.toLowerCase(java.util.Locale.ROOT))).findFirst()
        .orElseThrow(() -> new AssertionError("no shape with " + text + " in " + r.shapes()));
  }

  @Test
  void digestsIndexesAdviceAndMeasuredSpeedUp() throws Exception {
    assertThat(shop.snapshot().baselineOnly()).isTrue();
    Instant beforeFrom = clock.instant();
    workload(30);
    clock.advance(Duration.ofMinutes(1));
    shop.snapshot();
    Instant beforeTo = clock.instant();
    QueryReport r = shop.queries(Window.parse("1h"), QuerySort.TOTAL_TIME, 50);
    QueryShape byCustomer = shape(r, "FROM orders WHERE customer_id = ?");
    QueryShape byWarehouse = shape(r, "FROM stock_moves WHERE warehouse_id = ?");
    QueryShape byId = shape(r, "FROM orders WHERE id = ?");
    assertThat(byCustomer.calls()).isEqualTo(30);
    assertThat(byId.calls()).isEqualTo(200);
    assertThat(byCustomer.meanMs()).isGreaterThan(byId.meanMs());

    IndexReport indexes = shop.indexes();
    assertThat(indexes.duplicates()).singleElement().satisfies(i -> assertThat(i.duplicateOf()).isNotNull()
        .isIn("orders_status", "orders_status_copy"));

    AdviceReport advice = shop.advice();
    List<Advice> creates = advice.of(Advice.Kind.CREATE_INDEX);
    assertThat(creates).as("advice %s notes %s", advice.advice(), advice.notes()).hasSize(2);
    assertThat(creates).anySatisfy(a -> {
      assertThat(a.statement()).isEqualTo("ALTER TABLE `orders` ADD INDEX `orders_customer_id_idx` (`customer_id`), "
          + "ALGORITHM=INPLACE, LOCK=NONE");
      assertThat(a.shapeIds()).containsExactly(byCustomer.shapeId());
      assertThat(a.undo()).contains("DROP INDEX `orders_customer_id_idx`");
    });
    assertThat(creates).anySatisfy(a -> {
      assertThat(a.statement()).contains("ADD INDEX `stock_moves_warehouse_id_moved_at_idx` (`warehouse_id`, `moved_at`)");
      assertThat(a.shapeIds()).containsExactly(byWarehouse.shapeId());
    });
    assertThat(advice.of(Advice.Kind.DROP_DUPLICATE_INDEX)).hasSize(1);

    try (Connection c = maria.connect("shop"); Statement s = c.createStatement()) {
      for (Advice a : creates) {
        s.execute(a.statement());
      }
    }
    clock.advance(Duration.ofMinutes(1));
    shop.snapshot();
    Instant afterFrom = clock.instant();
    workload(30);
    clock.advance(Duration.ofMinutes(1));
    shop.snapshot();
    for (QueryShape planted : List.of(byCustomer, byWarehouse)) {
      double before = shop.shape(planted.shapeId(), beforeFrom, beforeTo).orElseThrow().meanMs();
      double after = shop.shape(planted.shapeId(), afterFrom, clock.instant()).orElseThrow().meanMs();
      assertThat(before / after).as("speed-up of %s: %s -> %s ms", planted.query(), before, after)
          .isGreaterThanOrEqualTo(10.0);
    }
    assertThat(shop.advice().of(Advice.Kind.CREATE_INDEX)).isEmpty();

    clock.advance(Duration.ofDays(8));
    assertThat(shop.indexes().unused()).extracting(IndexInfo::name).contains("customers_city")
        .doesNotContain("PRIMARY", "orders_customer_id_idx");
    assertThat(shop.advice().of(Advice.Kind.DROP_UNUSED_INDEX)).anySatisfy(a -> assertThat(a.statement())
        .isEqualTo("ALTER TABLE `customers` DROP INDEX `customers_city`, ALGORITHM=INPLACE, LOCK=NONE"));
    TableReport tables = shop.tables();
    assertThat(tables.tables()).extracting(TableInfo::name).contains("orders", "stock_moves", "customers");
  }

  @Test
  void lockWaitBehindAnIdleTransactionIsAChain() throws Exception {
    try (Connection holder = maria.connect("shop"); Connection waiter = maria.connect("shop")) {
      holder.setAutoCommit(false);
      long holderId = id(holder);
      long waiterId = id(waiter);
      try (Statement s = holder.createStatement()) {
        s.execute("UPDATE customers SET balance = balance + 1 WHERE id = 1");
      }
      CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
        try (Statement s = waiter.createStatement()) {
          s.execute("UPDATE customers SET balance = balance + 2 WHERE id = 1");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Activity a = Awaitility.await().atMost(20, TimeUnit.SECONDS).until(shop::activity, x -> !x.blocking().isEmpty());
      assertThat(a.blocking()).singleElement().satisfies(ch -> {
        assertThat(ch.blocker()).isEqualTo(holderId);
        assertThat(ch.waiting()).containsExactly(waiterId);
      });
      assertThat(a.sessions()).anySatisfy(s -> {
        assertThat(s.pid()).isEqualTo(holderId);
        assertThat(s.idleInTransaction()).isTrue();
      });
      assertThat(a.maxConnections()).isPositive();
      holder.rollback();
      blocked.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void performanceSchemaOffAndMissingGrantsAreNamed() {
    maria.exec("mysql", "CREATE USER 'nobody'@'127.0.0.1' IDENTIFIED BY 'pw-x'",
        "GRANT USAGE ON *.* TO 'nobody'@'127.0.0.1'", "CREATE DATABASE IF NOT EXISTS other",
        "GRANT SELECT ON other.* TO 'nobody'@'127.0.0.1'");
    DatabaseInsight none = DatabaseInsight.open("other", DatabaseUrl.parse(maria.url("nobody", "pw-x", "other")), store,
        InsightSettings.DEFAULTS, clock);
    assertThatThrownBy(none::snapshot).isInstanceOf(InsightException.class)
        .hasMessageContaining("database 'other'").hasMessageContaining("SELECT ON performance_schema")
        .hasMessageNotContaining("pw-x");
    // the shared server on 3306 runs with performance_schema OFF (when it is up)
    if (dev.vigil.core.testing.LocalServices.reachable(3306)) {
      DatabaseInsight off = DatabaseInsight.open("local", DatabaseUrl.parse("mariadb://root@127.0.0.1:3306/mysql"),
          store, InsightSettings.DEFAULTS, clock);
      try {
        off.snapshot();
      } catch (InsightException e) {
        assertThat(e.getMessage()).containsAnyOf("performance_schema is OFF", "failed:");
      }
    }
  }

  @Test
  void anIndexServingTwoShapesIsOneSuggestionWithTheWriteRateOfItsTable() throws Exception {
    maria.exec("mysql", "CREATE DATABASE ledger", "GRANT SELECT ON ledger.* TO 'vigil'@'127.0.0.1'");
    maria.exec("ledger",
        "CREATE TABLE entries (id BIGINT PRIMARY KEY, account_id BIGINT NOT NULL, amount INT NOT NULL) ENGINE=InnoDB",
        "INSERT INTO entries SELECT seq, seq % 5000, seq % 100 FROM seq_1_to_50000", "ANALYZE TABLE entries");
    MutableClock own = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    DatabaseInsight ledger = DatabaseInsight.open("ledger", DatabaseUrl.parse(maria.url("vigil", "pw-mon", "ledger")),
        store, InsightSettings.DEFAULTS, own);
    ledger.snapshot();
    String list = "SELECT id, amount FROM entries WHERE account_id = ?";
    String sum = "SELECT SUM(amount) FROM entries WHERE account_id = ?";
    try (Connection c = maria.connect("ledger"); Statement s = c.createStatement()) {
      for (int i = 1; i <= 15; i++) {
        run(c, list, i * 7);
        run(c, sum, i * 7);
      }
      // 600 inserts and 300 updates in the minute between the snapshots
      s.execute("INSERT INTO entries SELECT seq, seq % 5000, 1 FROM seq_50001_to_50600");
      s.execute("UPDATE entries SET amount = amount + 1 WHERE id <= 300");
    }
    own.advance(Duration.ofMinutes(1));
    ledger.snapshot();
    QueryReport r = ledger.queries(Window.parse("1h"), QuerySort.TOTAL_TIME, 50);
    String listId = shape(r, "amount FROM entries WHERE account_id = ?").shapeId();
    String sumId = shape(r, "SUM ( amount ) FROM entries WHERE account_id = ?").shapeId();
    TableInfo entries = ledger.tables().tables().stream().filter(t -> t.name().equals("entries")).findFirst()
        .orElseThrow();
    assertThat(entries.insertsPerSecond()).isCloseTo(10.0, within(1e-9));
    assertThat(entries.updatesPerSecond()).isCloseTo(5.0, within(1e-9));
    AdviceReport advice = ledger.indexAdvice();
    assertThat(advice.of(Advice.Kind.CREATE_INDEX)).as("advice %s notes %s", advice.advice(), advice.notes())
        .singleElement().satisfies(a -> {
          assertThat(a.statement()).isEqualTo("ALTER TABLE `entries` ADD INDEX `entries_account_id_idx` "
              + "(`account_id`), ALGORITHM=INPLACE, LOCK=NONE");
          assertThat(a.shapeIds()).containsExactlyInAnyOrder(listId, sumId);
          // the write overhead: rows inserted, updated or deleted per second on the table
          assertThat(a.writesPerSecond()).isCloseTo(15.0, within(1e-9));
        });

    // a statement that would wait for a lock longer than the statement timeout is ended at the timeout
    DatabaseInsight tight = DatabaseInsight.open("ledger-tight", DatabaseUrl.parse(maria.url("vigil", "pw-mon",
        "ledger")), store, InsightSettings.DEFAULTS.withStatementTimeout(Duration.ofMillis(500)), own);
    try (Connection holder = maria.connect("ledger"); Statement s = holder.createStatement()) {
      s.execute("LOCK TABLES entries WRITE");
      long start = System.nanoTime();
      AdviceReport blocked = tight.adviceFor(List.of(list));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      assertThat(blocked.of(Advice.Kind.CREATE_INDEX)).isEmpty();
      assertThat(blocked.notes()).anySatisfy(n -> assertThat(n).startsWith("shape given-")
          .contains("of database 'ledger-tight' could not be explained: ")
          .contains("max_statement_time exceeded").endsWith("(the statement timeout of 500 ms ended it)"));
      s.execute("UNLOCK TABLES");
    }
    assertThat(tight.adviceFor(List.of(list)).of(Advice.Kind.CREATE_INDEX)).hasSize(1);
  }

  private static long id(Connection c) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
