package dev.vigil.insight;

import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.backup.engine.EngineKind;
import dev.vigil.core.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Insight into one of the application's databases: query shapes over any window (from snapshots kept
 * in Vigil's state store), indexes, tables, sessions and an index advisor. Thread-safe; every call
 * opens its own short connection with a statement timeout, so nothing is held between calls.
 *
 * <pre>{@code
 * DatabaseInsight db = DatabaseInsight.open("erp", DatabaseUrl.parse(url), store, InsightSettings.DEFAULTS, clock);
 * db.snapshot();                       // the scheduler does this every minute
 * db.queries(Window.parse("1h"), QuerySort.TOTAL_TIME, 20);
 * db.advice();                         // CREATE INDEX CONCURRENTLY ..., DROP INDEX ..., VACUUM ..., ANALYZE ...
 * }</pre>
 */
public final class DatabaseInsight {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseInsight.class);
  private final String name;
  private final DatabaseUrl url;
  private final InsightSettings settings;
  private final Clock clock;
  private final SnapshotStore snapshots;
  private final Inspector inspector;
  private final Map<String, Instant> warned = new ConcurrentHashMap<>();
  private volatile Snapshot lastSnapshot;

  private DatabaseInsight(String name, DatabaseUrl url, StateStore store, InsightSettings settings, Clock clock) {
    this.name = name;
    this.url = url;
    this.settings = settings;
    this.clock = clock;
    this.snapshots = new SnapshotStore(store);
    this.inspector = switch (url.engine()) {
      case POSTGRESQL -> new PostgresInspector(name, url, settings, clock);
      case MYSQL -> new MysqlInspector(name, url, settings, clock);
      case SQLITE -> new SqliteInspector(name, url, settings, clock);
    };
  }

  /**
   * Insight into the database {@code url}, known as {@code name}, keeping its history in {@code store}
   * (migrating the insight tables). Nothing connects to the database until a method is called.
   *
   * @throws IllegalArgumentException when the name is not 1-64 letters, digits, '-', '_' or '.'
   */
  public static DatabaseInsight open(String name, DatabaseUrl url, StateStore store, InsightSettings settings,
      Clock clock) {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw new IllegalArgumentException("database name must be 1-64 letters, digits, '-', '_' or '.', not '"
          + name + "'");
    }
    return new DatabaseInsight(name, Objects.requireNonNull(url, "url"), Objects.requireNonNull(store, "store"),
        Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(clock, "clock"));
  }

  /** The configured name. */
  public String name() {
    return name;
  }

  /** The engine. */
  public EngineKind engine() {
    return url.engine();
  }

  /** The database's URL without its password. */
  public String location() {
    return url.redacted();
  }

  /** The settings in use. */
  public InsightSettings settings() {
    return settings;
  }

  /**
   * What one snapshot did.
   *
   * @param at when it was taken
   * @param shapes shapes that ran since the previous snapshot
   * @param baselineOnly the first snapshot: counters recorded, nothing to compare with yet
   * @param statisticsReset the engine's statistics were reset since the previous snapshot
   * @param duration how long collection took on the database
   * @param slowShapes shapes whose mean in this interval reached the slow-query warning threshold
   */
  public record Snapshot(Instant at, int shapes, boolean baselineOnly, boolean statisticsReset, Duration duration,
      List<QueryShape> slowShapes) {
    /** Copies the list. */
    public Snapshot {
      slowShapes = List.copyOf(slowShapes);
    }
  }

  /**
   * Reads the cumulative statistics and stores what changed since the previous snapshot; logs each
   * slow shape once per shape and warning window; prunes deltas older than the retention.
   *
   * @throws InsightException when the statistics cannot be read (e.g. pg_stat_statements missing)
   */
  public synchronized Snapshot snapshot() {
    long start = System.nanoTime();
    Counters counters = inspector.counters();
    long durationMs = (System.nanoTime() - start) / 1_000_000;
    Instant at = clock.instant();
    SnapshotStore.Recorded r = snapshots.record(name, at, counters, durationMs);
    List<QueryShape> slow = new ArrayList<>();
    double warnMs = settings.slowQueryWarn().toNanos() / 1e6;
    for (Counters.Shape d : r.deltas()) {
      QueryShape s = SnapshotStore.shape(d.shapeId(), d.query(), d.calls(), d.totalMs(), d.rows(), d.hits(),
          d.reads(), settings);
      if (s.meanMs() >= warnMs) {
        slow.add(s);
        Instant last = warned.get(s.shapeId());
        if (last == null || !last.plus(settings.slowWarnWindow()).isAfter(at)) {
          warned.put(s.shapeId(), at);
          LOG.warn("slow query shape {} on database '{}': mean {} ms over {} call(s) since the last snapshot "
                  + "(threshold {} ms): {}", s.shapeId(), name, Math.round(s.meanMs()), s.calls(),
              Math.round(warnMs), Jdbc.cut(s.query().replaceAll("\\s+", " "), 200));
        }
      }
    }
    warned.values().removeIf(i -> i.plus(settings.slowWarnWindow()).isBefore(at));
    snapshots.prune(name, at.minus(settings.retention()));
    Snapshot snap = new Snapshot(at, r.deltas().size(), r.baselineOnly(), r.reset(), Duration.ofMillis(durationMs),
        slow);
    lastSnapshot = snap;
    return snap;
  }

  /** The last snapshot this instance took, if any. */
  public Optional<Snapshot> lastSnapshot() {
    return Optional.ofNullable(lastSnapshot);
  }

  /**
   * Query shapes over the last {@code window}, sorted, at most {@code limit} (1-1000).
   */
  public QueryReport queries(Window window, QuerySort sort, int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be 1-1000, not " + limit);
    }
    Instant to = clock.instant();
    Instant from = to.minus(window.length());
    List<String> notes = new ArrayList<>();
    int n = snapshots.snapshots(name, from, to);
    if (url.engine() == EngineKind.SQLITE) {
      notes.add("SQLite keeps no statement statistics: use adviceFor(statements) for the application's known "
          + "statements");
    } else if (n == 0) {
      notes.add("no snapshot interval ended in the last " + window.length().toString().substring(2).toLowerCase()
          + ": shapes appear after two snapshots (the scheduler takes one every "
          + settings.snapshotInterval().toSeconds() + " s)");
    }
    return new QueryReport(name, from, to, n, sort,
        snapshots.window(name, from, to, Objects.requireNonNull(sort, "sort"), limit, settings), notes);
  }

  /**
   * One shape's statistics between two instants (for before/after comparisons), if it ran then.
   */
  public Optional<QueryShape> shape(String shapeId, Instant from, Instant to) {
    return snapshots.shape(name, Objects.requireNonNull(shapeId, "shapeId"), from, to, settings);
  }

  /**
   * One shape's history between two instants, one point per snapshot interval in which it ran,
   * oldest first: the before/after series an optimizer compares.
   */
  public List<ShapePoint> series(String shapeId, Instant from, Instant to) {
    return snapshots.series(name, Objects.requireNonNull(shapeId, "shapeId"), from, to);
  }

  /**
   * Share of the time in the last {@code window} that snapshots spent on the database (0..1).
   */
  public double collectionOverhead(Window window) {
    Instant to = clock.instant();
    return snapshots.overhead(name, to.minus(window.length()), to);
  }

  /** The existing indexes: unused (watched long enough), duplicate, covered, invalid, sizes. */
  public IndexReport indexes() {
    IndexReport raw = inspector.indexes();
    Instant now = clock.instant();
    Map<String, Instant> firstSeen = snapshots.indexFirstSeen(name,
        raw.indexes().stream().map(IndexInfo::qualifiedName).toList(), now);
    List<IndexInfo> judged = new ArrayList<>();
    java.util.Set<String> kept = new java.util.HashSet<>();
    raw.indexes().forEach(i -> {
      if (i.duplicateOf() != null) {
        kept.add(i.schema() + "." + i.duplicateOf());
      }
    });
    for (IndexInfo i : raw.indexes()) {
      Instant seen = firstSeen.getOrDefault(i.qualifiedName(), now);
      boolean old = !seen.plus(settings.unusedMinAge()).isAfter(now);
      // the kept twin of a duplicate gets the scans once the other is dropped
      boolean unused = i.scans() == 0 && !i.backsConstraint() && !i.unique() && i.valid() && old
          && !kept.contains(i.qualifiedName()) && i.duplicateOf() == null;
      judged.add(new IndexInfo(i.schema(), i.table(), i.name(), i.definition(), i.columns(), i.sizeBytes(), i.scans(),
          i.unique(), i.backsConstraint(), i.valid(), unused, i.duplicateOf(), i.coveredBy()));
    }
    List<String> notes = new ArrayList<>(raw.notes());
    if (judged.stream().anyMatch(i -> i.scans() == 0 && !i.unused() && !i.backsConstraint() && !i.unique())) {
      notes.add("indexes without scans are reported unused only after Vigil has watched them for "
          + settings.unusedMinAge().toDays() + " day(s)");
    }
    return new IndexReport(name, judged, notes);
  }

  /** The tables, largest first, with write rates measured over the last day of snapshots. */
  public TableReport tables() {
    Instant now = clock.instant();
    return inspector.tables(snapshots.writeRates(name, now.minus(Duration.ofDays(1)), now));
  }

  /** Connections, long and blocking sessions, replication lag, wraparound distance, cache hit ratio. */
  public Activity activity() {
    return inspector.activity();
  }

  /**
   * Everything the advisor recommends: indexes to create for the top shapes of the last day (of all
   * time since the statistics reset when no snapshot covers it), unused, duplicate and invalid indexes,
   * VACUUM for bloated tables and ANALYZE for stale statistics.
   */
  public AdviceReport advice() {
    AdviceReport maintenance = maintenance();
    List<String> notes = new ArrayList<>(maintenance.notes());
    List<Advice> out = new ArrayList<>(indexAdvice(notes));
    out.addAll(maintenance.advice());
    return new AdviceReport(name, out, notes);
  }

  /**
   * The advisor's indexes to create for the top shapes of the last day (of all time since the
   * statistics reset when no snapshot covers it), without the catalog advice: what an index builder needs.
   */
  public AdviceReport indexAdvice() {
    List<String> notes = new ArrayList<>();
    List<Advice> out = indexAdvice(notes);
    return new AdviceReport(name, out, notes);
  }

  private List<Advice> indexAdvice(List<String> notes) {
    IndexReport indexes = indexes();
    TableReport tables = tables();
    List<QueryShape> top = queries(Window.last(Duration.ofDays(1)), QuerySort.TOTAL_TIME, settings.advisorShapes())
        .shapes();
    if (top.isEmpty()) {
      top = cumulative();
      if (!top.isEmpty()) {
        notes.add("no snapshots in the last day: shapes are ranked by their statistics since the last reset");
      }
    }
    try {
      return inspector.adviseIndexes(top, indexes, tables, notes);
    } catch (InsightException e) {
      notes.add(e.getMessage());
      return List.of();
    }
  }

  /**
   * The catalog advice alone (cheap: no plans, no hypothetical indexes): invalid, duplicate and unused
   * indexes to rebuild or drop (with the statement that re-creates a dropped one), VACUUM for bloated
   * tables and ANALYZE for stale statistics.
   */
  public AdviceReport maintenance() {
    IndexReport indexes = indexes();
    TableReport tables = tables();
    List<String> notes = new ArrayList<>(tables.notes());
    List<Advice> out = new ArrayList<>();
    Map<String, Double> writes = new HashMap<>();
    tables.tables().forEach(t -> writes.put(t.qualifiedName(),
        t.insertsPerSecond() + t.updatesPerSecond() + t.deletesPerSecond()));
    Maintenance m = inspector instanceof Maintenance mm ? mm : null;
    if (m != null) {
      for (IndexInfo i : indexes.indexes()) {
        String table = i.schema() + "." + i.table();
        double w = writes.getOrDefault(table, 0.0);
        if (!i.valid()) {
          out.add(advice(Advice.Kind.REINDEX, table, i, m.reindex(i), null, i.sizeBytes(), w,
              "index " + i.name() + " is invalid (a failed concurrent build): it costs writes and serves no read"));
        } else if (i.duplicateOf() != null || i.coveredBy() != null) {
          out.add(advice(Advice.Kind.DROP_DUPLICATE_INDEX, table, i, m.dropIndex(i), m.createIndex(i), i.sizeBytes(), w,
              i.duplicateOf() != null ? "index " + i.name() + " repeats " + i.duplicateOf()
                  : "index " + i.name() + " is a prefix of " + i.coveredBy() + ", which serves the same lookups"));
        } else if (i.unused()) {
          out.add(advice(Advice.Kind.DROP_UNUSED_INDEX, table, i, m.dropIndex(i), m.createIndex(i), i.sizeBytes(), w,
              "index " + i.name() + " has had no scans since the statistics were reset and backs no constraint"));
        }
      }
      for (TableInfo t : tables.tables()) {
        double w = t.insertsPerSecond() + t.updatesPerSecond() + t.deletesPerSecond();
        if (t.bloated()) {
          out.add(advice(Advice.Kind.VACUUM, t.qualifiedName(), null, m.vacuum(t), null, t.bloatBytes(), w,
              String.format(java.util.Locale.ROOT, "about %d MB of %d MB is waste (%d dead rows)",
                  t.bloatBytes() >> 20, t.tableBytes() >> 20, t.deadRows())));
        }
        if (t.staleStatistics()) {
          out.add(advice(Advice.Kind.ANALYZE, t.qualifiedName(), null, m.analyze(t), null, -1, w,
              t.modificationsSinceAnalyze() + " rows changed since the statistics were gathered ("
                  + t.liveRows() + " live rows): the planner's estimates are off"));
        }
      }
    }
    return new AdviceReport(name, out, notes);
  }

  /**
   * Index advice for the given statements (with {@code ?} or {@code $n} placeholders), for shapes
   * the statistics do not show: SQLite keeps none, and a new release's statements have not run yet.
   * Each statement's shape id is {@code given-<hash>}.
   */
  public AdviceReport adviceFor(List<String> statements) {
    if (statements.isEmpty() || statements.size() > 500) {
      throw new IllegalArgumentException("give 1-500 statements, not " + statements.size());
    }
    List<QueryShape> shapes = new ArrayList<>();
    for (String s : statements) {
      if (s == null || s.isBlank() || s.length() > 100_000) {
        throw new IllegalArgumentException("a statement must be 1-100000 characters");
      }
      shapes.add(new QueryShape("given-" + adviceId(s), s, 1, 0, 0, 0, 0, 0, false));
    }
    List<String> notes = new ArrayList<>();
    List<Advice> out = inspector.adviseIndexes(shapes, indexes(), tables(), notes);
    return new AdviceReport(name, out, notes);
  }

  private List<QueryShape> cumulative() {
    try {
      Counters c = inspector.counters();
      return c.shapes().stream()
          .sorted((a, b) -> Double.compare(b.totalMs(), a.totalMs()))
          .limit(settings.advisorShapes())
          .map(s -> SnapshotStore.shape(s.shapeId(), s.query(), s.calls(), s.totalMs(), s.rows(), s.hits(), s.reads(),
              settings))
          .toList();
    } catch (InsightException e) {
      return List.of();
    }
  }

  private static Advice advice(Advice.Kind kind, String table, IndexInfo index, String statement, String undo,
      long size, double w, String reason) {
    return new Advice(adviceId(statement), kind, table, index == null ? null : index.name(),
        index == null ? List.of() : index.columns(), statement, undo, List.of(), -1, -1, size, w, "catalog",
        reason);
  }

  /** A stable id for a statement: the same change always gets the same id. */
  static String adviceId(String statement) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(statement.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "DatabaseInsight[" + name + " " + url.redacted() + "]";
  }
}
