package dev.vigil.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.core.store.StateStore;
import dev.vigil.insight.testing.ErpWorkload;
import dev.vigil.insight.testing.MutableClock;
import dev.vigil.insight.testing.PgInstance;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.awaitility.Awaitility;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Database insight over a real PostgreSQL 15 (own instance with pg_stat_statements and HypoPG) and a
 * real ERP-like workload driven by pgbench, with planted problems. The monitoring user has exactly
 * {@code pg_monitor} and CONNECT; the advisor user additionally reads the tables.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresInsightTest {
  private static final String DB = "erp";
  private static final ErpWorkload ERP = new ErpWorkload(1_000_000);
  @TempDir
  static Path dir;
  static PgInstance pg;
  static StateStore store;
  static MutableClock clock;
  static DatabaseInsight monitor;
  static DatabaseInsight advisor;
  static DatabaseInsight warner;
  static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
  static final Map<String, String> plantedIds = new HashMap<>();
  static Instant beforeFrom;
  static Instant beforeTo;
  static String duplicateName;

  @BeforeAll
  static void start() {
    pg = PgInstance.start();
    pg.exec("postgres", "CREATE DATABASE " + DB);
    pg.exec(DB, "CREATE EXTENSION pg_stat_statements", "CREATE EXTENSION hypopg",
        "CREATE ROLE vigil_monitor LOGIN", "GRANT pg_monitor TO vigil_monitor",
        "REVOKE CONNECT ON DATABASE " + DB + " FROM PUBLIC", "GRANT CONNECT ON DATABASE " + DB + " TO vigil_monitor",
        "CREATE ROLE vigil_advisor LOGIN", "GRANT pg_monitor, pg_read_all_data TO vigil_advisor",
        "GRANT CONNECT ON DATABASE " + DB + " TO vigil_advisor");
    ERP.load(pg, DB);
    store = StateStore.open(null, dir.resolve("state"));
    clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    InsightSettings settings = InsightSettings.DEFAULTS.withSessionLimits(Duration.ofMinutes(1), Duration.ofMillis(1));
    monitor = DatabaseInsight.open("erp", DatabaseUrl.parse(pg.url("vigil_monitor", DB)), store, settings, clock);
    warner = DatabaseInsight.open("erp-warn", DatabaseUrl.parse(pg.url("vigil_monitor", DB)), store,
        settings.withSlowQueryWarn(Duration.ofMillis(5)), clock);
    LOGS.start();
    ((Logger) LoggerFactory.getLogger(DatabaseInsight.class)).addAppender(LOGS);
    advisor = DatabaseInsight.open("erp-advisor", DatabaseUrl.parse(pg.url("vigil_advisor", DB)), store, settings,
        clock);
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  @Order(1)
  void queryShapesOverAWindowFromSnapshotsWithOnlyPgMonitor() {
    pg.exec(DB, "SELECT pg_stat_statements_reset()");
    DatabaseInsight.Snapshot first = monitor.snapshot();
    advisor.snapshot();
    warner.snapshot();
    assertThat(first.baselineOnly()).isTrue();
    beforeFrom = clock.instant();
    pg.pgbench(DB, 2, 8, ERP.allScripts());
    clock.advance(Duration.ofMinutes(1));
    DatabaseInsight.Snapshot second = monitor.snapshot();
    advisor.snapshot();
    DatabaseInsight.Snapshot warned = warner.snapshot();
    assertThat(second.slowShapes()).isEmpty();
    assertThat(warned.slowShapes()).hasSizeGreaterThanOrEqualTo(3);
    List<String> warnings = LOGS.list.stream().filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(warnings).hasSize(warned.slowShapes().size())
        .allMatch(w -> w.startsWith("slow query shape ") && w.contains("database 'erp-warn'"));
    // once per shape and window: the next interval's slow shapes are not logged again
    pg.pgbench(DB, 1, 1, ERP.plantedScripts());
    clock.advance(Duration.ofSeconds(1));
    assertThat(warner.snapshot().slowShapes()).isNotEmpty();
    assertThat(LOGS.list.stream().filter(e -> e.getLevel() == Level.WARN)).hasSize(warnings.size());
    beforeTo = clock.instant();
    assertThat(second.baselineOnly()).isFalse();
    assertThat(second.shapes()).isGreaterThanOrEqualTo(6);

    QueryReport report = monitor.queries(Window.parse("1h"), QuerySort.TOTAL_TIME, 50);
    assertThat(report.snapshots()).isEqualTo(1);
    assertThat(report.notes()).isEmpty();
    for (Map.Entry<String, String> p : ErpWorkload.PLANTED_TEXT.entrySet()) {
      QueryShape s = report.shapes().stream().filter(q -> q.query().contains(p.getValue())).findFirst()
          .orElseThrow(() -> new AssertionError("planted shape " + p.getKey() + " missing from " + report.shapes()));
      assertThat(s.calls()).isPositive();
      assertThat(s.meanMs()).isGreaterThan(1.0);
      plantedIds.put(p.getKey(), s.shapeId());
    }
    // the planted sequential scans dominate the total time
    assertThat(plantedIds.values()).contains(report.shapes().get(0).shapeId());
    assertThat(report.shapes()).noneMatch(q -> q.query().contains("vigil-insight"));
    // a window that ends before the snapshot sees nothing
    clock.advance(Duration.ofHours(2));
    assertThat(monitor.queries(Window.parse("1h"), QuerySort.CALLS, 10).shapes()).isEmpty();
    assertThat(monitor.queries(Window.parse("1h"), QuerySort.CALLS, 10).notes()).singleElement().asString()
        .contains("no snapshot interval");
    assertThat(monitor.queries(Window.parse("24h"), QuerySort.CALLS, 10).shapes()).isNotEmpty();
    clock.advance(Duration.ofHours(-2));
  }

  @Test
  @Order(2)
  void tablesShowBloatStaleStatisticsAndSequentialScans() {
    TableReport tables = monitor.tables();
    TableInfo products = table(tables, "products");
    assertThat(products.bloated()).as("products bloat %s", products).isTrue();
    assertThat(products.deadRows()).isGreaterThan(30_000);
    TableInfo invoices = table(tables, "invoices");
    assertThat(invoices.staleStatistics()).as("invoices %s", invoices).isTrue();
    assertThat(table(tables, "orders").seqScanHeavy()).isTrue();
    assertThat(table(tables, "orders").staleStatistics()).isFalse();
    assertThat(table(tables, "orders").bloated()).isFalse();
    assertThat(table(tables, "customers").updatesPerSecond()).isPositive();
    assertThat(tables.tables().get(0).totalBytes()).isGreaterThanOrEqualTo(tables.tables().get(1).totalBytes());
  }

  @Test
  @Order(3)
  void indexesShowDuplicateInvalidAndUnusedOnceWatchedLongEnough() {
    // a failed concurrent build leaves an invalid index behind
    assertThatThrownBy(() -> pg.exec(DB, "CREATE UNIQUE INDEX CONCURRENTLY customers_city_uq ON customers (city)"))
        .hasMessageContaining("could not create unique index");
    IndexReport now = monitor.indexes();
    assertThat(now.invalid()).extracting(IndexInfo::name).containsExactly("customers_city_uq");
    assertThat(now.unused()).isEmpty();
    assertThat(now.notes()).anyMatch(n -> n.contains("watched"));
    IndexInfo copy = index(now, "invoices_order_copy_idx");
    IndexInfo original = index(now, "invoices_order_id_idx");
    // exactly one of the twins is the duplicate: the one the planner does not use
    IndexInfo dup = copy.duplicateOf() != null ? copy : original;
    IndexInfo keep = dup == copy ? original : copy;
    assertThat(dup.duplicateOf()).isEqualTo(keep.name());
    assertThat(keep.duplicateOf()).isNull();
    assertThat(keep.scans()).isGreaterThanOrEqualTo(dup.scans());
    duplicateName = dup.name();
    assertThat(index(now, "orders_pkey").backsConstraint()).isTrue();
    assertThat(copy.sizeBytes()).isPositive();
  }

  @Test
  @Order(4)
  void advisorSuggestsExactlyThePlantedIndexesCostedWithHypopg() {
    AdviceReport report = advisor.advice();
    List<Advice> creates = report.of(Advice.Kind.CREATE_INDEX);
    assertThat(creates).as("advice %s notes %s", report.advice(), report.notes()).hasSize(3);
    assertThat(creates).allSatisfy(a -> {
      assertThat(a.method()).isEqualTo("hypopg");
      assertThat(a.statement()).startsWith("CREATE INDEX CONCURRENTLY ");
      assertThat(a.undo()).startsWith("DROP INDEX CONCURRENTLY IF EXISTS public.");
      assertThat(a.costAfter()).isLessThan(a.costBefore() * 0.5);
      assertThat(a.sizeBytes()).isPositive();
      assertThat(a.shapeIds()).isNotEmpty();
    });
    assertThat(creates).anySatisfy(a -> {
      assertThat(a.statement()).endsWith("ON public.orders (customer_id)");
      assertThat(a.index()).isEqualTo("orders_customer_id_idx");
      assertThat(a.columns()).containsExactly("customer_id");
      assertThat(a.shapeIds()).contains(plantedIds.get("orders(customer_id)"));
    });
    assertThat(creates).anySatisfy(a -> {
      assertThat(a.statement()).endsWith("ON public.order_lines (product_id)");
      assertThat(a.shapeIds()).contains(plantedIds.get("order_lines(product_id)"));
    });
    assertThat(creates).anySatisfy(a -> {
      assertThat(a.statement()).endsWith("ON public.stock_moves (warehouse_id, moved_at)");
      assertThat(a.columns()).containsExactly("warehouse_id", "moved_at");
      assertThat(a.shapeIds()).contains(plantedIds.get("stock_moves(warehouse_id, moved_at)"));
    });
    assertThat(report.of(Advice.Kind.VACUUM)).anySatisfy(a -> assertThat(a.table()).isEqualTo("public.products"));
    assertThat(report.of(Advice.Kind.REINDEX)).singleElement().satisfies(a -> assertThat(a.statement())
        .isEqualTo("REINDEX INDEX CONCURRENTLY public.customers_city_uq"));
    assertThat(report.of(Advice.Kind.ANALYZE)).anySatisfy(a -> assertThat(a.table()).isEqualTo("public.invoices"));
    assertThat(report.of(Advice.Kind.DROP_DUPLICATE_INDEX)).singleElement().satisfies(a -> {
      assertThat(a.statement()).isEqualTo("DROP INDEX CONCURRENTLY IF EXISTS public." + duplicateName);
      assertThat(a.index()).isEqualTo(duplicateName);
      assertThat(a.undo()).isEqualTo("CREATE INDEX CONCURRENTLY " + duplicateName + " ON public.invoices "
          + "USING btree (order_id)");
    });
  }

  @Test
  @Order(5)
  void theMonitoringUserAloneCannotPlanAndTheAdviceSaysWhy() {
    AdviceReport report = monitor.advice();
    assertThat(report.of(Advice.Kind.CREATE_INDEX)).isEmpty();
    assertThat(report.notes()).anyMatch(n -> n.contains("could not be planned") && n.contains("pg_read_all_data"));
    // the catalog advice needs no more than pg_monitor
    assertThat(report.of(Advice.Kind.VACUUM)).isNotEmpty();
  }

  @Test
  @Order(6)
  void appliedAdviceCutsTheMeanTimeOfThePlantedShapesTenfold() throws Exception {
    AdviceReport report = advisor.advice();
    try (Connection c = pg.connect(DB); Statement s = c.createStatement()) {
      for (Advice a : report.of(Advice.Kind.CREATE_INDEX)) {
        s.execute(a.statement());
      }
    }
    clock.advance(Duration.ofMinutes(1));
    monitor.snapshot();
    Instant afterFrom = clock.instant();
    pg.pgbench(DB, 2, 5, ERP.allScripts());
    clock.advance(Duration.ofMinutes(1));
    monitor.snapshot();
    Instant afterTo = clock.instant();
    for (Map.Entry<String, String> p : plantedIds.entrySet()) {
      QueryShape before = monitor.shape(p.getValue(), beforeFrom, beforeTo).orElseThrow();
      QueryShape after = monitor.shape(p.getValue(), afterFrom, afterTo).orElseThrow();
      assertThat(before.meanMs() / after.meanMs()).as("speed-up of %s: %s -> %s ms", p.getKey(), before.meanMs(),
          after.meanMs()).isGreaterThanOrEqualTo(10.0);
    }
    List<ShapePoint> series = monitor.series(plantedIds.get("orders(customer_id)"), beforeFrom, afterTo);
    assertThat(series).hasSizeGreaterThanOrEqualTo(2);
    assertThat(series.get(0).meanMs()).isGreaterThan(series.get(series.size() - 1).meanMs() * 10);
    // nothing left to suggest for the planted shapes
    assertThat(advisor.advice().of(Advice.Kind.CREATE_INDEX)).isEmpty();
  }

  @Test
  @Order(7)
  void idleInTransactionSessionBlockingAnUpdateIsAChain() throws Exception {
    try (Connection holder = pg.connect(DB); Connection waiter = pg.connect(DB)) {
      holder.setAutoCommit(false);
      long holderPid = pid(holder);
      long waiterPid = pid(waiter);
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
      Activity activity = Awaitility.await().atMost(20, TimeUnit.SECONDS).until(monitor::activity,
          a -> !a.blocking().isEmpty());
      assertThat(activity.blocking()).singleElement().satisfies(ch -> {
        assertThat(ch.blocker()).isEqualTo(holderPid);
        assertThat(ch.waiting()).containsExactly(waiterPid);
      });
      assertThat(activity.sessions()).anySatisfy(s -> {
        assertThat(s.pid()).isEqualTo(holderPid);
        assertThat(s.idleInTransaction()).isTrue();
        assertThat(s.state()).isEqualTo("idle in transaction");
      });
      assertThat(activity.sessions()).anySatisfy(s -> {
        assertThat(s.pid()).isEqualTo(waiterPid);
        assertThat(s.blockedBy()).containsExactly(holderPid);
        assertThat(s.waitEvent()).startsWith("Lock:");
      });
      assertThat(activity.maxConnections()).isEqualTo(40);
      assertThat(activity.connections()).isGreaterThanOrEqualTo(2);
      assertThat(activity.cacheHitRatio()).isBetween(0.0, 1.0);
      assertThat(activity.wraparoundRemaining()).isGreaterThan(2_000_000_000L);
      holder.rollback();
      blocked.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(8)
  void unusedIndexReportedOnceWatchedLongEnoughAndDropAdviceCarriesItsUndo() {
    clock.advance(Duration.ofDays(8));
    IndexReport later = monitor.indexes();
    assertThat(later.unused()).extracting(IndexInfo::name).contains("customers_city_idx")
        .doesNotContain("orders_pkey", "invoices_order_id_idx", "invoices_order_copy_idx", "orders_customer_id_idx");
    AdviceReport report = monitor.advice();
    assertThat(report.of(Advice.Kind.DROP_UNUSED_INDEX)).anySatisfy(a -> {
      assertThat(a.statement()).isEqualTo("DROP INDEX CONCURRENTLY IF EXISTS public.customers_city_idx");
      assertThat(a.undo()).isEqualTo("CREATE INDEX CONCURRENTLY customers_city_idx ON public.customers USING btree (city)");
    });
  }

  @Test
  @Order(9)
  void snapshotsSurviveAStatisticsReset() {
    clock.advance(Duration.ofMinutes(1));
    monitor.snapshot();
    Instant from = clock.instant();
    pg.exec(DB, "SELECT pg_stat_statements_reset()");
    pg.pgbench(DB, 1, 1, ERP.plantedScripts());
    clock.advance(Duration.ofMinutes(1));
    DatabaseInsight.Snapshot snap = monitor.snapshot();
    assertThat(snap.statisticsReset()).isTrue();
    QueryReport r = monitor.queries(Window.parse("1m"), QuerySort.CALLS, 100);
    assertThat(r.shapes()).isNotEmpty().allSatisfy(s -> {
      assertThat(s.calls()).isPositive();
      assertThat(s.totalMs()).isNotNegative();
    });
    assertThat(monitor.shape(plantedIds.get("orders(customer_id)"), from, clock.instant())).isPresent();
  }

  @Test
  @Order(10)
  void missingPgStatStatementsIsNamedNotAStackTrace() throws Exception {
    pg.exec("postgres", "CREATE DATABASE bare");
    DatabaseInsight bare = DatabaseInsight.open("bare", DatabaseUrl.parse(pg.url("postgres", "bare")), store,
        InsightSettings.DEFAULTS, clock);
    assertThatThrownBy(bare::snapshot).isInstanceOf(InsightException.class)
        .hasMessageContaining("pg_stat_statements is loaded but not created in database bare")
        .hasMessageContaining("CREATE EXTENSION pg_stat_statements");
    DatabaseInsight down = DatabaseInsight.open("down", DatabaseUrl.parse("postgresql://vigil:secret@127.0.0.1:1/x"),
        store, InsightSettings.DEFAULTS, clock);
    assertThatThrownBy(down::activity).isInstanceOf(InsightException.class)
        .hasMessageContaining("database 'down'").hasMessageNotContaining("secret");
  }

  @Test
  @Order(11)
  void withoutHypopgTheAdvisorFallsBackToHeuristicsAndSaysSo() throws Exception {
    pg.exec("postgres", "CREATE DATABASE nohypo");
    pg.exec("nohypo", "CREATE EXTENSION pg_stat_statements",
        "CREATE TABLE events (id bigint PRIMARY KEY, account_id bigint NOT NULL, kind text NOT NULL)",
        "INSERT INTO events SELECT g, g % 500, 'k' || (g % 7) FROM generate_series(1, 50000) g", "VACUUM ANALYZE events");
    DatabaseInsight db = DatabaseInsight.open("nohypo", DatabaseUrl.parse(pg.url("postgres", "nohypo")), store,
        InsightSettings.DEFAULTS, clock);
    db.snapshot();
    try (Connection c = pg.connect("nohypo")) {
      for (int i = 0; i < 20; i++) {
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT id, kind FROM events WHERE account_id = ?")) {
          ps.setLong(1, i);
          ps.executeQuery().close();
        }
      }
    }
    clock.advance(Duration.ofMinutes(1));
    db.snapshot();
    AdviceReport report = db.advice();
    assertThat(report.notes()).anyMatch(n -> n.contains("HypoPG is not created in database nohypo")
        && n.contains("CREATE EXTENSION hypopg") && n.contains("not costed"));
    assertThat(report.of(Advice.Kind.CREATE_INDEX)).singleElement().satisfies(a -> {
      assertThat(a.method()).isEqualTo("heuristic");
      assertThat(a.statement()).isEqualTo("CREATE INDEX CONCURRENTLY events_account_id_idx ON public.events (account_id)");
      assertThat(a.costAfter()).isEqualTo(-1);
    });
  }

  @Test
  @Order(12)
  void anIndexWhoseKeysLeadAWiderOneIsRedundantOnlyWhenItServesNothingMore() {
    pg.exec("postgres", "CREATE DATABASE redundant");
    pg.exec("redundant",
        "CREATE TABLE items (id int PRIMARY KEY, a int, b int, c int, d text, e int)",
        "CREATE INDEX items_a ON items (a)",
        "CREATE INDEX items_a_b ON items (a, b)",
        "CREATE INDEX items_a_b_c ON items (a, b, c)",
        // another order of b: serves ORDER BY a, b DESC, which (a, b, c) cannot
        "CREATE INDEX items_a_bdesc ON items (a, b DESC)",
        // a unique index enforces something: never redundant
        "CREATE UNIQUE INDEX items_e_uq ON items (e)",
        "CREATE INDEX items_a_hash ON items USING hash (a)",
        "CREATE INDEX items_a_part ON items (a) WHERE c > 0",
        // another operator class: serves LIKE 'x%' in any collation
        "CREATE INDEX items_d_pattern ON items (d text_pattern_ops)",
        "CREATE INDEX items_d_e ON items (d, e)",
        // included columns: covered when the wider index holds them, not otherwise
        "CREATE INDEX items_b_inc ON items (b) INCLUDE (c)",
        "CREATE INDEX items_b_c ON items (b, c)",
        "CREATE INDEX items_e_inc ON items (e) INCLUDE (c)",
        "CREATE INDEX items_e_b ON items (e, b)",
        "CREATE INDEX items_id_a ON items (id, a)",
        "GRANT CONNECT ON DATABASE redundant TO vigil_monitor");
    DatabaseInsight db = DatabaseInsight.open("redundant", DatabaseUrl.parse(pg.url("vigil_monitor", "redundant")),
        store, InsightSettings.DEFAULTS, clock);
    IndexReport report = db.indexes();
    // the widest covering index is named: it is the one that stays when the others go
    assertThat(index(report, "items_a").coveredBy()).isEqualTo("items_a_b_c");
    assertThat(index(report, "items_a_b").coveredBy()).isEqualTo("items_a_b_c");
    assertThat(index(report, "items_b_inc").coveredBy()).isEqualTo("items_b_c");
    assertThat(report.duplicates()).extracting(IndexInfo::name)
        .containsExactlyInAnyOrder("items_a", "items_a_b", "items_b_inc");
    assertThat(report.duplicates()).allSatisfy(i -> assertThat(i.duplicateOf()).isNull());
    assertThat(report.indexes()).filteredOn(i -> !report.duplicates().contains(i)).allSatisfy(i -> {
      assertThat(i.coveredBy()).as("coveredBy of %s", i.name()).isNull();
      assertThat(i.duplicateOf()).as("duplicateOf of %s", i.name()).isNull();
    });
    assertThat(index(report, "items_a_bdesc").columns()).containsExactly("a", "b");
    assertThat(index(report, "items_b_inc").columns()).containsExactly("b");
    List<Advice> drops = db.maintenance().of(Advice.Kind.DROP_DUPLICATE_INDEX);
    assertThat(drops).extracting(Advice::index).containsExactlyInAnyOrder("items_a", "items_a_b", "items_b_inc");
    assertThat(drops).filteredOn(a -> a.index().equals("items_a")).singleElement().satisfies(a -> {
      assertThat(a.statement()).isEqualTo("DROP INDEX CONCURRENTLY IF EXISTS public.items_a");
      assertThat(a.undo()).isEqualTo("CREATE INDEX CONCURRENTLY items_a ON public.items USING btree (a)");
      assertThat(a.reason()).isEqualTo("index items_a is a prefix of items_a_b_c, which serves the same lookups");
    });
  }

  @Test
  @Order(13)
  void aCollectionThatWouldWaitPastTheTimeoutFailsNamingTheDatabaseAndTheTimeout() throws Exception {
    pg.exec("postgres", "CREATE DATABASE locked");
    pg.exec("locked", "CREATE TABLE ledger (id int PRIMARY KEY, amount int)", "INSERT INTO ledger VALUES (1, 1)");
    DatabaseInsight tight = DatabaseInsight.open("locked", DatabaseUrl.parse(pg.url("vigil_monitor", "locked")), store,
        InsightSettings.DEFAULTS.withStatementTimeout(Duration.ofMillis(500)), clock);
    DatabaseInsight defaults = DatabaseInsight.open("locked-defaults",
        DatabaseUrl.parse(pg.url("vigil_monitor", "locked")), store, InsightSettings.DEFAULTS, clock);
    try (Connection holder = pg.connect("locked")) {
      holder.setAutoCommit(false);
      try (Statement s = holder.createStatement()) {
        // reading a table's size needs a lock this one conflicts with
        s.execute("LOCK TABLE ledger IN ACCESS EXCLUSIVE MODE");
      }
      long start = System.nanoTime();
      assertThatThrownBy(tight::tables).isInstanceOf(InsightException.class)
          .hasMessageStartingWith("reading the tables of database 'locked' (postgresql://vigil_monitor@")
          .hasMessageContaining("canceling statement due to statement timeout")
          .hasMessageEndingWith("(the statement timeout of 500 ms ended it)")
          .hasMessageNotContaining("\n");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      // with the defaults (5 s per statement) a lock is waited for at most 1 s
      start = System.nanoTime();
      assertThatThrownBy(defaults::tables).isInstanceOf(InsightException.class)
          .hasMessageStartingWith("reading the tables of database 'locked-defaults' (")
          .hasMessageContaining("canceling statement due to lock timeout")
          .hasMessageEndingWith("(the lock timeout of 1000 ms ended it: another session holds a lock on a table this "
              + "statement reads)");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      holder.rollback();
    }
    assertThat(tight.tables().tables()).extracting(TableInfo::name).containsExactly("ledger");
  }

  @Test
  @Order(14)
  void oneIndexServingSeveralShapesIsOneSuggestionWithTheWriteRateOfItsTable() throws Exception {
    pg.exec("postgres", "CREATE DATABASE merge");
    try (Connection c = pg.connect("merge"); Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION pg_stat_statements");
      s.execute("CREATE EXTENSION hypopg");
      s.execute("CREATE TABLE events (id bigint PRIMARY KEY, account_id bigint NOT NULL, kind text NOT NULL, "
          + "at timestamptz NOT NULL)");
      s.execute("INSERT INTO events SELECT g, g % 5000, 'k' || (g % 7), "
          + "timestamptz '2026-01-01' + g * interval '1 min' FROM generate_series(1, 200000) g");
      s.execute("VACUUM ANALYZE events");
      flushStatistics(s);
    }
    DatabaseInsight db = DatabaseInsight.open("merge", DatabaseUrl.parse(pg.url("postgres", "merge")), store,
        InsightSettings.DEFAULTS, clock);
    db.snapshot();
    String byAccount = "SELECT id, kind FROM events WHERE account_id = ?";
    String latestOfAccount = "SELECT id, at FROM events WHERE account_id = ? ORDER BY at DESC LIMIT 5";
    try (Connection c = pg.connect("merge"); Statement s = c.createStatement()) {
      for (int i = 0; i < 20; i++) {
        for (String q : List.of(byAccount, latestOfAccount)) {
          try (PreparedStatement ps = c.prepareStatement(q)) {
            ps.setLong(1, i * 7L);
            ps.executeQuery().close();
          }
        }
      }
      // 600 inserts and 300 updates in the minute between the snapshots
      s.execute("INSERT INTO events SELECT g, g % 5000, 'new', now() FROM generate_series(200001, 200600) g");
      s.execute("UPDATE events SET kind = 'seen' WHERE id <= 300");
      flushStatistics(s);
    }
    clock.advance(Duration.ofMinutes(1));
    db.snapshot();
    QueryReport shapes = db.queries(Window.parse("1h"), QuerySort.TOTAL_TIME, 50);
    String a = shapeId(shapes, "FROM events WHERE account_id = $1");
    String b = shapeId(shapes, "FROM events WHERE account_id = $1 ORDER BY at DESC");
    TableInfo events = table(db.tables(), "events");
    assertThat(events.insertsPerSecond()).isCloseTo(10.0, within(1e-9));
    assertThat(events.updatesPerSecond()).isCloseTo(5.0, within(1e-9));
    AdviceReport report = db.indexAdvice();
    assertThat(report.of(Advice.Kind.CREATE_INDEX)).as("advice %s notes %s", report.advice(), report.notes())
        .singleElement().satisfies(s -> {
          assertThat(s.table()).isEqualTo("public.events");
          assertThat(s.columns().get(0)).isEqualTo("account_id");
          assertThat(s.method()).isEqualTo("hypopg");
          assertThat(s.shapeIds()).containsExactlyInAnyOrder(a, b);
          assertThat(s.reason()).contains("cost of 2 shape(s)");
          assertThat(s.costAfter()).isLessThan(s.costBefore() * 0.5);
          // the write overhead: rows inserted, updated or deleted per second on the table
          assertThat(s.writesPerSecond()).isCloseTo(15.0, within(1e-9));
        });
  }

  @Test
  @Order(15)
  void aLongRunningStatementIsReportedAndCountedByState() throws Exception {
    pg.exec("postgres", "CREATE DATABASE sleepy");
    DatabaseInsight watcher = DatabaseInsight.open("sleepy", DatabaseUrl.parse(pg.url("vigil_monitor", "sleepy")),
        store, InsightSettings.DEFAULTS.withSessionLimits(Duration.ofMillis(300), Duration.ofMinutes(1)), clock);
    try (Connection sleeper = pg.connect("sleepy"); Connection idle = pg.connect("sleepy");
        Statement sleep = sleeper.createStatement()) {
      long sleeperPid = pid(sleeper);
      long idlePid = pid(idle);
      CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
        try {
          sleep.executeQuery("SELECT pg_sleep(30)").close();
        } catch (SQLException e) {
          throw new IllegalStateException(e.getSQLState() + " " + e.getMessage(), e);
        }
      });
      try {
        Activity activity = Awaitility.await().atMost(20, TimeUnit.SECONDS).until(watcher::activity,
            x -> x.sessions().stream().anyMatch(s -> s.pid() == sleeperPid && s.longRunning()));
        assertThat(activity.sessions()).filteredOn(s -> s.pid() == sleeperPid).singleElement().satisfies(s -> {
          assertThat(s.state()).isEqualTo("active");
          assertThat(s.query()).isEqualTo("SELECT pg_sleep(30)");
          assertThat(s.stateMs()).isGreaterThanOrEqualTo(300);
          assertThat(s.transactionMs()).isGreaterThanOrEqualTo(s.stateMs());
          assertThat(s.waitEvent()).isEqualTo("Timeout:PgSleep");
          assertThat(s.user()).isEqualTo("postgres");
          assertThat(s.idleInTransaction()).isFalse();
        });
        // the idle connection is counted but not listed: nothing is wrong with it
        assertThat(activity.sessions()).noneMatch(s -> s.pid() == idlePid);
        assertThat(activity.connectionsByState().get("active")).isGreaterThanOrEqualTo(1);
        assertThat(activity.connectionsByState().get("idle")).isGreaterThanOrEqualTo(1);
        assertThat(activity.connections()).isGreaterThanOrEqualTo(2).isLessThanOrEqualTo(activity.maxConnections());
      } finally {
        sleep.cancel();
      }
      assertThatThrownBy(() -> sleeping.get(10, TimeUnit.SECONDS)).hasMessageContaining("57014");
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(watcher::activity,
          x -> x.sessions().stream().noneMatch(s -> s.pid() == sleeperPid));
    }
  }

  @Test
  @Order(16)
  void aServerWithoutPgStatStatementsPreloadedSaysSoPrecisely() throws Exception {
    try (PgInstance bare = PgInstance.start("shared_preload_libraries = ''")) {
      bare.exec("postgres", "CREATE DATABASE app", "CREATE ROLE mon LOGIN", "GRANT pg_monitor TO mon");
      DatabaseInsight app = DatabaseInsight.open("app", DatabaseUrl.parse(bare.url("mon", "app")), store,
          InsightSettings.DEFAULTS, clock);
      assertThatThrownBy(app::snapshot).isInstanceOf(InsightException.class)
          .hasMessage("pg_stat_statements is not in shared_preload_libraries of database 'app': add "
              + "shared_preload_libraries = 'pg_stat_statements' to postgresql.conf, restart PostgreSQL, then run "
              + "CREATE EXTENSION pg_stat_statements in database app as a superuser");
      // created, but its library is not loaded: the same explanation, not the view's error
      bare.exec("app", "CREATE EXTENSION pg_stat_statements");
      assertThatThrownBy(app::snapshot).isInstanceOf(InsightException.class)
          .hasMessage("pg_stat_statements is not in shared_preload_libraries of database 'app': add "
              + "shared_preload_libraries = 'pg_stat_statements' to postgresql.conf, restart PostgreSQL (the extension "
              + "is created in database app but its library is not loaded)");
      // everything that does not need the statement statistics still works
      assertThat(app.activity().maxConnections()).isEqualTo(40);
      assertThat(app.indexes().indexes()).isEmpty();
    }
  }

  private static void flushStatistics(Statement s) throws SQLException {
    // the table counters of this session are published when it next goes idle, before the reply
    s.execute("SELECT pg_stat_force_next_flush()");
  }

  /** The shortest shape containing {@code text}. */
  private static String shapeId(QueryReport r, String text) {
    return r.shapes().stream().filter(q -> q.query().contains(text))
        .min(Comparator.comparingInt(q -> q.query().length())).map(QueryShape::shapeId)
        .orElseThrow(() -> new AssertionError("no shape with " + text + " in " + r.shapes()));
  }

  private static long pid(Connection c) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static TableInfo table(TableReport r, String name) {
    return r.tables().stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no table " + name + " in " + r.tables()));
  }

  private static IndexInfo index(IndexReport r, String name) {
    List<String> names = new ArrayList<>();
    for (IndexInfo i : r.indexes()) {
      if (i.name().equals(name)) {
        return i;
      }
      names.add(i.name());
    }
    throw new AssertionError("no index " + name + " in " + names);
  }
}
