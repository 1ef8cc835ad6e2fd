package dev.vigil.bench.insight;

import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.bench.BenchLine;
import dev.vigil.core.store.StateStore;
import dev.vigil.insight.Activity;
import dev.vigil.insight.Advice;
import dev.vigil.insight.AdviceReport;
import dev.vigil.insight.DatabaseInsight;
import dev.vigil.insight.IndexInfo;
import dev.vigil.insight.InsightSettings;
import dev.vigil.insight.QueryShape;
import dev.vigil.insight.QuerySort;
import dev.vigil.insight.Window;
import dev.vigil.insight.testing.ErpWorkload;
import dev.vigil.insight.testing.MutableClock;
import dev.vigil.insight.testing.PgInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The insight suite on an own PostgreSQL 15 with the ERP workload (1 M orders) and eight planted
 * problems: how many Vigil reports against a PgHero-style catalog-only check, the measured speed-up
 * of the planted shapes once the advice is applied (3 alternating rounds without/with the advised
 * indexes, median), and the share of the database's time a snapshot costs at a 1-minute interval.
 */
public final class InsightBench {
  private static final String DB = "erp";
  private static final int PLANTED = 8;

  private InsightBench() {
  }

  public static void main(String[] args) throws Exception {
    int orders = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    ErpWorkload erp = new ErpWorkload(orders);
    Path state = Files.createTempDirectory("vigil-bench-insight");
    try (PgInstance pg = PgInstance.start(); StateStore store = StateStore.open(null, state)) {
      pg.exec("postgres", "CREATE DATABASE " + DB);
      pg.exec(DB, "CREATE EXTENSION pg_stat_statements", "CREATE EXTENSION hypopg");
      erp.load(pg, DB);
      MutableClock clock = new MutableClock(Instant.now());
      DatabaseInsight db = DatabaseInsight.open(DB, DatabaseUrl.parse(pg.url("postgres", DB)), store,
          InsightSettings.DEFAULTS, clock);
      db.snapshot();
      Instant from = clock.instant();
      pg.pgbench(DB, 2, seconds, erp.allScripts());
      clock.advance(Duration.ofMinutes(1));
      db.snapshot();
      Map<String, String> planted = plantedIds(db, from, clock.instant());
      AdviceReport advice = db.advice();
      clock.advance(Duration.ofDays(8));
      List<String> found = new ArrayList<>();
      List<String> baseline = new ArrayList<>();
      List<Advice> creates = advice.of(Advice.Kind.CREATE_INDEX);
      for (Map.Entry<String, String> p : planted.entrySet()) {
        if (creates.stream().anyMatch(a -> a.shapeIds().contains(p.getValue())
            && a.statement().replace(" ", "").contains(p.getKey().replace(" ", "")))) {
          found.add("missing " + p.getKey());
        }
      }
      List<IndexInfo> indexes = db.indexes().indexes();
      if (indexes.stream().anyMatch(i -> i.table().equals("invoices") && i.duplicateOf() != null)) {
        found.add("duplicate");
      }
      if (indexes.stream().anyMatch(i -> i.name().equals("customers_city_idx") && i.unused())) {
        found.add("unused");
      }
      if (advice.of(Advice.Kind.VACUUM).stream().anyMatch(a -> a.table().equals("public.products"))) {
        found.add("bloat");
      }
      if (advice.of(Advice.Kind.ANALYZE).stream().anyMatch(a -> a.table().equals("public.invoices"))) {
        found.add("stale statistics");
      }
      try (Connection c = pg.connect(DB)) {
        pgheroStyle(c, baseline);
        try (Connection holder = pg.connect(DB); Connection waiter = pg.connect(DB)) {
          holder.setAutoCommit(false);
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
          Activity a = null;
          for (int i = 0; i < 100 && (a == null || a.blocking().isEmpty()); i++) {
            a = db.activity();
            if (a.blocking().isEmpty()) {
              TimeUnit.MILLISECONDS.sleep(100);
            }
          }
          Activity act = a;
          if (act != null && !act.blocking().isEmpty() && act.sessions().stream().anyMatch(
              s -> s.pid() == act.blocking().get(0).blocker() && s.state().startsWith("idle in transaction"))) {
            found.add("idle-in-transaction blocker");
          }
          try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
              "SELECT count(*) FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0")) {
            rs.next();
            if (rs.getInt(1) > 0) {
              baseline.add("blocked queries");
            }
          }
          holder.rollback();
          blocked.get(10, TimeUnit.SECONDS);
        }
      }
      BenchLine.print("insight.planted", found.size(), baseline.size(), "/" + PLANTED, BenchLine.Better.HIGHER,
          extras("planted", PLANTED, "vigil_found", String.join(";", found).replace(' ', '_'),
              "baseline_found", String.join(";", baseline).replace(' ', '_'),
              "baseline_method", "pghero_catalog_checks_without_pg_query"));

      // measured speed-up: alternate rounds without and with the advised indexes
      double[] before = new double[3];
      double[] after = new double[3];
      List<String> ratios = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (Advice a : creates) {
          pg.exec(DB, a.undo());
        }
        before[round] = plantedMean(pg, db, clock, erp, planted, seconds);
        for (Advice a : creates) {
          pg.exec(DB, a.statement());
        }
        pg.exec(DB, "ANALYZE");
        after[round] = plantedMean(pg, db, clock, erp, planted, seconds);
        ratios.add(String.format(Locale.ROOT, "%.1f", before[round] / after[round]));
      }
      double b = median(before);
      double v = median(after);
      BenchLine.print("insight.speedup", v, b, "ms", BenchLine.Better.LOWER,
          extras("what", "mean_of_planted_shape_means_with_vs_without_advice", "round_ratios", String.join(",", ratios),
              "indexes", creates.size()));

      // collection overhead: snapshot time under load over a 1-minute interval
      List<Double> durations = new ArrayList<>();
      CompletableFuture<String> load = CompletableFuture.supplyAsync(() -> pg.pgbench(DB, 2, seconds,
          erp.allScripts()));
      while (!load.isDone()) {
        long t0 = System.nanoTime();
        clock.advance(Duration.ofMinutes(1));
        db.snapshot();
        durations.add((System.nanoTime() - t0) / 1e6);
        TimeUnit.MILLISECONDS.sleep(500);
      }
      load.get();
      double[] d = durations.stream().mapToDouble(Double::doubleValue).toArray();
      double pct = median(d) / 60_000.0 * 100;
      BenchLine.print("insight.overhead", pct, 1.0, "%", BenchLine.Better.LOWER,
          extras("snapshot_ms_median", String.format(Locale.ROOT, "%.1f", median(d)), "interval", "60s",
              "snapshots", d.length, "baseline_is", "the_1%_budget"));
    } finally {
      Files.walk(state).sorted((x, y) -> y.compareTo(x)).forEach(f -> f.toFile().delete());
    }
  }

  private static Map<String, String> plantedIds(DatabaseInsight db, Instant from, Instant to) {
    Map<String, String> ids = new HashMap<>();
    for (QueryShape s : db.queries(Window.last(Duration.ofHours(1)), QuerySort.TOTAL_TIME, 100).shapes()) {
      ErpWorkload.PLANTED_TEXT.forEach((index, text) -> {
        if (s.query().contains(text)) {
          ids.put(index.replace("stock_moves(warehouse_id, moved_at)", "stock_moves (warehouse_id, moved_at)")
              .replace("orders(customer_id)", "orders (customer_id)")
              .replace("order_lines(product_id)", "order_lines (product_id)"), s.shapeId());
        }
      });
    }
    return ids;
  }

  private static double plantedMean(PgInstance pg, DatabaseInsight db, MutableClock clock, ErpWorkload erp,
      Map<String, String> planted, int seconds) {
    clock.advance(Duration.ofMinutes(1));
    db.snapshot();
    Instant from = clock.instant();
    pg.pgbench(DB, 2, seconds, erp.allScripts());
    clock.advance(Duration.ofMinutes(1));
    db.snapshot();
    double sum = 0;
    for (String id : planted.values()) {
      sum += db.shape(id, from, clock.instant()).map(QueryShape::meanMs).orElse(Double.NaN);
    }
    return sum / planted.size();
  }

  /** What PgHero finds from the catalog alone (no pg_query/Dexter): duplicate, unused, bloat; no missing index. */
  private static void pgheroStyle(Connection c, List<String> found) throws Exception {
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_index a JOIN pg_index b ON a.indrelid = b.indrelid "
          + "AND a.indexrelid <> b.indexrelid AND a.indkey::text = b.indkey::text "
          + "WHERE a.indrelid = 'invoices'::regclass")) {
        rs.next();
        if (rs.getInt(1) > 0) {
          found.add("duplicate");
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_user_indexes ui JOIN pg_index i "
          + "ON ui.indexrelid = i.indexrelid WHERE NOT i.indisunique AND ui.idx_scan = 0 "
          + "AND ui.indexrelname = 'customers_city_idx'")) {
        rs.next();
        if (rs.getInt(1) > 0) {
          found.add("unused");
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT n_dead_tup::float8 / greatest(n_live_tup + n_dead_tup, 1) "
          + "FROM pg_stat_user_tables WHERE relname = 'products'")) {
        rs.next();
        if (rs.getDouble(1) > 0.2) {
          found.add("bloat");
        }
      }
    }
  }

  private static Map<String, Object> extras(Object... kv) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }
}
