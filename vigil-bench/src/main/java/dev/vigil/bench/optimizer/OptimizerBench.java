package dev.vigil.bench.optimizer;

import dev.vigil.bench.BenchLine;
import dev.vigil.core.store.StateStore;
import dev.vigil.optimizer.ActionRecord;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Optimizer;
import dev.vigil.optimizer.OptimizerHooks;
import dev.vigil.optimizer.OptimizerOptions;
import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.RecordedProbe;
import dev.vigil.optimizer.database.IndexCandidate;
import dev.vigil.optimizer.database.IndexTuning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.sqlite.SQLiteDataSource;

/**
 * Optimizer benchmarks on a real SQLite application database and the real clock:
 * <ul>
 *   <li>{@code optimizer.validation_time}: minutes from applying a helpful index to a decision, with
 *       the workload at a steady query rate, against the 30 minutes Azure SQL automatic tuning needs at
 *       least;</li>
 *   <li>{@code optimizer.false_keep}: of repeated planted harmful indexes (they only slow a write-heavy
 *       table), the share kept, against a naive rule that keeps a change when the mean got better.</li>
 * </ul>
 */
public final class OptimizerBench {
  private static final Map<String, Object> NONE = Map.of();

  private OptimizerBench() {
  }

  /** {@code OptimizerBench <work dir> [harmful rounds]}. */
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    validationTime(work.resolve("validation"));
    falseKeep(work.resolve("harmful"), rounds);
    neutralKeep(work.resolve("neutral"), rounds);
  }

  /** Indexes that serve nothing the workload asks: a change that does nothing must not be kept either. */
  private static void neutralKeep(Path dir, int rounds) throws Exception {
    Files.createDirectories(dir);
    int vigilKept = 0;
    int naiveKept = 0;
    for (int round = 0; round < rounds; round++) {
      Path roundDir = dir.resolve("round" + round);
      Files.createDirectories(roundDir);
      SQLiteDataSource app = database(roundDir);
      RecordedProbe reads = new RecordedProbe("orders by customer (ms)", true, Clock.systemUTC(), Duration.ofDays(1));
      List<IndexCandidate> advice = List.of(new IndexCandidate("app", "orders", List.of("note"), "planted neutral",
          List.of("orders by customer")));
      try (StateStore store = StateStore.open(null, roundDir.resolve("state"))) {
        Optimizer optimizer = optimizer(app, store, advice, reads, reads);
        Random r = new Random(round);
        RecordedProbe warmUp = new RecordedProbe("warm-up", true, Clock.systemUTC(), Duration.ofDays(1));
        for (int i = 0; i < 200; i++) {
          readOrder(app, warmUp, r);
        }
        for (int i = 0; i < 30; i++) {
          readOrder(app, reads, r);
        }
        Instant applied = Instant.now();
        String id = optimizer.run(Level.HIGH, false, false, "bench").items().get(0).actionId();
        for (int i = 0; i < 30; i++) {
          readOrder(app, reads, r);
        }
        ActionRecord decided = optimizer.observe().stream().filter(a -> a.id().equals(id)).findFirst().orElse(null);
        if (decided != null && decided.status() == ActionRecord.Status.KEPT) {
          vigilKept++;
        }
        if (mean(reads.samples(applied, Instant.now().plusSeconds(1))) < mean(reads.samples(Instant.EPOCH, applied))) {
          naiveKept++;
        }
      }
    }
    Map<String, Object> extras = new LinkedHashMap<>();
    extras.put("rounds", rounds);
    extras.put("kept", vigilKept);
    extras.put("naive_kept", naiveKept);
    extras.put("baseline_is", "keep_when_mean_improved");
    BenchLine.print("optimizer.false_keep_neutral", 100.0 * vigilKept / rounds, 100.0 * naiveKept / rounds, "%",
        BenchLine.Better.LOWER, extras);
  }

  private static void validationTime(Path dir) throws Exception {
    Files.createDirectories(dir);
    SQLiteDataSource app = database(dir);
    RecordedProbe reads = new RecordedProbe("orders by customer (ms)", true, Clock.systemUTC(), Duration.ofDays(1));
    List<IndexCandidate> advice = List.of(new IndexCandidate("app", "orders", List.of("customer_id"),
        "seq scan per lookup", List.of("orders by customer")));
    try (StateStore store = StateStore.open(null, dir.resolve("state"))) {
      Optimizer optimizer = optimizer(app, store, advice, reads, reads);
      Random r = new Random(1);
      int perSecond = 20;
      for (int i = 0; i < 3 * perSecond; i++) {
        readOrder(app, reads, r);
        Thread.sleep(1000 / perSecond);
      }
      String id = optimizer.run(Level.HIGH, false, false, "bench").items().get(0).actionId();
      Instant applied = Instant.now();
      ActionRecord decided = null;
      while (decided == null) {
        readOrder(app, reads, r);
        Thread.sleep(1000 / perSecond);
        decided = optimizer.observe().stream().filter(a -> a.id().equals(id)).findFirst().orElse(null);
      }
      double minutes = Duration.between(applied, decided.decidedAt()).toMillis() / 60_000.0;
      Map<String, Object> extras = new LinkedHashMap<>();
      extras.put("decision", decided.status().name().toLowerCase());
      extras.put("confidence", String.format("%.4f", decided.confidence()));
      extras.put("before_ms", decided.before());
      extras.put("after_ms", decided.after());
      extras.put("workload", perSecond + "q/s");
      extras.put("baseline_is", "azure_sql_min_validation");
      BenchLine.print("optimizer.validation_time", minutes, 30, "min", BenchLine.Better.LOWER, extras);
    }
  }

  private static void falseKeep(Path dir, int rounds) throws Exception {
    Files.createDirectories(dir);
    int vigilKept = 0;
    int naiveKept = 0;
    for (int round = 0; round < rounds; round++) {
      Path roundDir = dir.resolve("round" + round);
      Files.createDirectories(roundDir);
      SQLiteDataSource app = database(roundDir);
      RecordedProbe writes = new RecordedProbe("events insert batch (ms)", true, Clock.systemUTC(), Duration.ofDays(1));
      List<IndexCandidate> advice = List.of(new IndexCandidate("app", "events", List.of("a"), "planted harmful",
          List.of("events")));
      try (StateStore store = StateStore.open(null, roundDir.resolve("state"))) {
        Optimizer optimizer = optimizer(app, store, advice, writes, writes);
        Random r = new Random(round);
        for (int i = 0; i < 25; i++) {
          writeEvents(app, writes, r);
        }
        Instant applied = Instant.now();
        String id = optimizer.run(Level.HIGH, false, false, "bench").items().get(0).actionId();
        ActionRecord decided = null;
        int batches = 0;
        while (decided == null) {
          writeEvents(app, writes, r);
          batches++;
          decided = optimizer.observe().stream().filter(a -> a.id().equals(id)).findFirst().orElse(null);
        }
        if (decided.status() == ActionRecord.Status.KEPT) {
          vigilKept++;
        }
        double before = mean(writes.samples(Instant.EPOCH, applied));
        double after = mean(writes.samples(applied, Instant.now().plusSeconds(1)));
        if (after < before) {
          naiveKept++;
        }
      }
    }
    Map<String, Object> extras = new LinkedHashMap<>();
    extras.put("rounds", rounds);
    extras.put("kept", vigilKept);
    extras.put("naive_kept", naiveKept);
    extras.put("baseline_is", "keep_when_mean_improved");
    BenchLine.print("optimizer.false_keep", 100.0 * vigilKept / rounds, 100.0 * naiveKept / rounds, "%",
        BenchLine.Better.LOWER, extras);
  }

  private static Optimizer optimizer(SQLiteDataSource app, StateStore store, List<IndexCandidate> advice,
      Probe target, Probe guard) {
    IndexTuning tuning = new IndexTuning("db.index.app", app, IndexTuning.Dialect.SQLITE, () -> advice,
        c -> target, c -> c.table().equals("events") ? List.of(guard) : List.of());
    OptimizerOptions options = OptimizerOptions.defaults().withClock(Clock.systemUTC())
        .withWindows(Duration.ofMinutes(5), Duration.ofMinutes(10));
    return new Optimizer(options, List.of(tuning), new OptimizerHooks() {
      @Override
      public void audit(String action, String resource, String outcome, Map<String, Object> facts) {
      }

      @Override
      public void checkpoint(String label) {
        throw new UnsupportedOperationException("the benchmark applies nothing at the aggressive level");
      }

      @Override
      public boolean busy() {
        return false;
      }
    }, store);
  }

  private static SQLiteDataSource database(Path dir) throws SQLException {
    SQLiteDataSource app = new SQLiteDataSource();
    app.setUrl("jdbc:sqlite:" + dir.resolve("app.db"));
    try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=MEMORY");
      s.execute("CREATE TABLE orders(id INTEGER PRIMARY KEY, customer_id INTEGER, note TEXT)");
      s.execute("CREATE TABLE events(id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT)");
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement("INSERT INTO orders(customer_id, note) VALUES (?, ?)")) {
        for (int i = 0; i < 100_000; i++) {
          p.setInt(1, i % 5000);
          p.setString(2, "order " + i);
          p.addBatch();
        }
        p.executeBatch();
      }
      c.commit();
    }
    return app;
  }

  private static void readOrder(SQLiteDataSource app, RecordedProbe reads, Random r) throws SQLException {
    try (Connection c = app.getConnection();
        PreparedStatement p = c.prepareStatement("SELECT count(*) FROM orders WHERE customer_id = ?")) {
      p.setInt(1, r.nextInt(5000));
      long start = System.nanoTime();
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
      }
      reads.record((System.nanoTime() - start) / 1e6);
    }
  }

  private static void writeEvents(SQLiteDataSource app, RecordedProbe writes, Random r) throws SQLException {
    try (Connection c = app.getConnection();
        PreparedStatement p = c.prepareStatement("INSERT INTO events(a, b, c) VALUES (?, ?, ?)")) {
      c.setAutoCommit(false);
      long start = System.nanoTime();
      for (int k = 0; k < 300; k++) {
        p.setString(1, text(r));
        p.setString(2, text(r));
        p.setString(3, text(r));
        p.addBatch();
      }
      p.executeBatch();
      c.commit();
      writes.record((System.nanoTime() - start) / 1e6);
    }
  }

  private static String text(Random r) {
    StringBuilder b = new StringBuilder(120);
    for (int i = 0; i < 120; i++) {
      b.append((char) ('a' + r.nextInt(26)));
    }
    return b.toString();
  }

  private static double mean(double[] v) {
    double sum = 0;
    for (double d : v) {
      sum += d;
    }
    return v.length == 0 ? Double.NaN : sum / v.length;
  }
}
