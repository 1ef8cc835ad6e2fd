package dev.vigil.insight;

import dev.vigil.core.store.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Snapshots of cumulative counters kept as deltas in the state store, so any window is a sum and a
 * reset of the engine's statistics (counters going down, or a new reset marker) never yields
 * negative numbers: after a reset the delta is the new counter itself.
 */
final class SnapshotStore {
  private static final String LAST_AT = "last_snapshot_at";
  private static final String RESET = "stats_reset";
  private final StateStore store;

  SnapshotStore(StateStore store) {
    this.store = store;
    store.migrate("insight");
  }

  /** What one recorded snapshot measured. */
  record Recorded(Instant at, boolean baselineOnly, boolean reset, List<Counters.Shape> deltas, long intervalMs) {
  }

  /** Records {@code counters} taken at {@code at}; returns the deltas since the previous snapshot. */
  Recorded record(String db, Instant at, Counters counters, long durationMs) {
    return store.jdbi().inTransaction(h -> {
      Map<String, String> state = state(h, db);
      boolean first = !state.containsKey(LAST_AT);
      long lastAt = first ? 0 : Long.parseLong(state.get(LAST_AT));
      boolean reset = counters.resetMarker() != null && state.containsKey(RESET)
          && !counters.resetMarker().equals(state.get(RESET));
      long now = at.toEpochMilli();
      Map<String, Counters.Shape> last = new HashMap<>();
      h.createQuery("SELECT shape_id, calls, total_ms, rows_n, hits, reads FROM vigil_insight_query_last "
              + "WHERE database_name = :db")
          .bind("db", db)
          .map((rs, ctx) -> new Counters.Shape(rs.getString(1), null, rs.getLong(2), rs.getDouble(3), rs.getLong(4),
              rs.getLong(5), rs.getLong(6)))
          .forEach(s -> last.put(s.shapeId(), s));
      List<Counters.Shape> deltas = new ArrayList<>();
      for (Counters.Shape cur : counters.shapes()) {
        Counters.Shape prev = last.get(cur.shapeId());
        Counters.Shape d;
        if (prev == null || reset || cur.calls() < prev.calls()) {
          d = cur;
        } else {
          d = new Counters.Shape(cur.shapeId(), cur.query(), cur.calls() - prev.calls(),
              Math.max(0, cur.totalMs() - prev.totalMs()), Math.max(0, cur.rows() - prev.rows()),
              Math.max(0, cur.hits() - prev.hits()), Math.max(0, cur.reads() - prev.reads()));
        }
        if (d.calls() > 0) {
          deltas.add(d);
        }
      }
      if (!first) {
        PreparedBatch batch = h.prepareBatch("INSERT INTO vigil_insight_query_delta(database_name, taken_at, "
            + "shape_id, calls, total_ms, rows_n, hits, reads) VALUES (:db, :at, :id, :calls, :ms, :rows, :hits, :reads)");
        for (Counters.Shape d : deltas) {
          batch.bind("db", db).bind("at", now).bind("id", d.shapeId()).bind("calls", d.calls())
              .bind("ms", d.totalMs()).bind("rows", d.rows()).bind("hits", d.hits()).bind("reads", d.reads()).add();
        }
        if (batch.size() > 0) {
          batch.execute();
        }
      }
      h.createUpdate("DELETE FROM vigil_insight_query_last WHERE database_name = :db").bind("db", db).execute();
      PreparedBatch lastBatch = h.prepareBatch("INSERT INTO vigil_insight_query_last(database_name, shape_id, calls, "
          + "total_ms, rows_n, hits, reads) VALUES (:db, :id, :calls, :ms, :rows, :hits, :reads)");
      PreparedBatch texts = h.prepareBatch("INSERT INTO vigil_insight_query_text(database_name, shape_id, query_text, "
          + "first_seen, last_seen) VALUES (:db, :id, :q, :at, :at) ON CONFLICT (database_name, shape_id) "
          + "DO UPDATE SET last_seen = :at, query_text = :q");
      for (Counters.Shape c : counters.shapes()) {
        lastBatch.bind("db", db).bind("id", c.shapeId()).bind("calls", c.calls()).bind("ms", c.totalMs())
            .bind("rows", c.rows()).bind("hits", c.hits()).bind("reads", c.reads()).add();
        if (c.query() != null) {
          texts.bind("db", db).bind("id", c.shapeId()).bind("q", c.query()).bind("at", now).add();
        }
      }
      if (lastBatch.size() > 0) {
        lastBatch.execute();
      }
      if (texts.size() > 0) {
        texts.execute();
      }
      recordTables(h, db, now, first ? 0 : now - lastAt, reset, counters.tables());
      if (!first) {
        h.createUpdate("INSERT INTO vigil_insight_snapshot(database_name, taken_at, interval_ms, duration_ms) "
                + "VALUES (:db, :at, :iv, :d) ON CONFLICT (database_name, taken_at) DO NOTHING")
            .bind("db", db).bind("at", now).bind("iv", now - lastAt).bind("d", durationMs).execute();
      }
      putState(h, db, LAST_AT, Long.toString(now));
      if (counters.resetMarker() != null) {
        putState(h, db, RESET, counters.resetMarker());
      }
      return new Recorded(at, first, reset, first ? List.of() : deltas, first ? 0 : now - lastAt);
    });
  }

  private static void recordTables(Handle h, String db, long now, long intervalMs, boolean reset,
      List<Counters.Table> tables) {
    Map<String, long[]> last = new HashMap<>();
    h.createQuery("SELECT table_name, inserts, updates, deletes FROM vigil_insight_table_last WHERE database_name = :db")
        .bind("db", db)
        .map((rs, ctx) -> Map.entry(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)}))
        .forEach(e -> last.put(e.getKey(), e.getValue()));
    if (intervalMs > 0) {
      PreparedBatch batch = h.prepareBatch("INSERT INTO vigil_insight_table_delta(database_name, taken_at, interval_ms, "
          + "table_name, inserts, updates, deletes) VALUES (:db, :at, :iv, :t, :i, :u, :d)");
      for (Counters.Table t : tables) {
        long[] p = last.get(t.table());
        boolean fromZero = p == null || reset || t.inserts() < p[0] || t.updates() < p[1] || t.deletes() < p[2];
        long i = fromZero ? t.inserts() : t.inserts() - p[0];
        long u = fromZero ? t.updates() : t.updates() - p[1];
        long d = fromZero ? t.deletes() : t.deletes() - p[2];
        if (p == null) {
          continue;
        }
        batch.bind("db", db).bind("at", now).bind("iv", intervalMs).bind("t", t.table()).bind("i", i).bind("u", u)
            .bind("d", d).add();
      }
      if (batch.size() > 0) {
        batch.execute();
      }
    }
    h.createUpdate("DELETE FROM vigil_insight_table_last WHERE database_name = :db").bind("db", db).execute();
    PreparedBatch lastBatch = h.prepareBatch("INSERT INTO vigil_insight_table_last(database_name, table_name, inserts, "
        + "updates, deletes) VALUES (:db, :t, :i, :u, :d)");
    for (Counters.Table t : tables) {
      lastBatch.bind("db", db).bind("t", t.table()).bind("i", t.inserts()).bind("u", t.updates())
          .bind("d", t.deletes()).add();
    }
    if (lastBatch.size() > 0) {
      lastBatch.execute();
    }
  }

  /** Sums of the deltas that ended in (from, to], per shape, with their text. */
  List<QueryShape> window(String db, Instant from, Instant to, QuerySort sort, int limit, InsightSettings settings) {
    String order = switch (sort) {
      case TOTAL_TIME -> "SUM(d.total_ms)";
      case MEAN_TIME -> "SUM(d.total_ms) / SUM(d.calls)";
      case CALLS -> "SUM(d.calls)";
      case ROWS -> "SUM(d.rows_n)";
      case READS -> "SUM(d.reads)";
    };
    return store.jdbi().withHandle(h -> h.createQuery("SELECT d.shape_id, MAX(t.query_text), SUM(d.calls), "
            + "SUM(d.total_ms), SUM(d.rows_n), SUM(d.hits), SUM(d.reads) FROM vigil_insight_query_delta d "
            + "LEFT JOIN vigil_insight_query_text t ON t.database_name = d.database_name AND t.shape_id = d.shape_id "
            + "WHERE d.database_name = :db AND d.taken_at > :from AND d.taken_at <= :to GROUP BY d.shape_id "
            + "ORDER BY " + order + " DESC, d.shape_id LIMIT :limit")
        .bind("db", db).bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli()).bind("limit", limit)
        .map((rs, ctx) -> shape(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDouble(4), rs.getLong(5),
            rs.getLong(6), rs.getLong(7), settings))
        .list());
  }

  /** One shape's sums over (from, to], if it ran then. */
  Optional<QueryShape> shape(String db, String shapeId, Instant from, Instant to, InsightSettings settings) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT MAX(t.query_text), SUM(d.calls), SUM(d.total_ms), "
            + "SUM(d.rows_n), SUM(d.hits), SUM(d.reads) FROM vigil_insight_query_delta d "
            + "LEFT JOIN vigil_insight_query_text t ON t.database_name = d.database_name AND t.shape_id = d.shape_id "
            + "WHERE d.database_name = :db AND d.shape_id = :id AND d.taken_at > :from AND d.taken_at <= :to")
        .bind("db", db).bind("id", shapeId).bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli())
        .map((rs, ctx) -> rs.getLong(2) == 0 ? null
            : shape(shapeId, rs.getString(1), rs.getLong(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6), settings))
        .findFirst());
  }

  /** One shape's deltas in (from, to], oldest first. */
  List<ShapePoint> series(String db, String shapeId, Instant from, Instant to) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT taken_at, calls, total_ms, rows_n FROM "
            + "vigil_insight_query_delta WHERE database_name = :db AND shape_id = :id AND taken_at > :from "
            + "AND taken_at <= :to ORDER BY taken_at")
        .bind("db", db).bind("id", shapeId).bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli())
        .map((rs, ctx) -> new ShapePoint(Instant.ofEpochMilli(rs.getLong(1)), rs.getLong(2), rs.getDouble(3),
            rs.getLong(2) == 0 ? 0 : rs.getDouble(3) / rs.getLong(2), rs.getLong(4)))
        .list());
  }

  /** How many snapshot intervals ended in (from, to]. */
  int snapshots(String db, Instant from, Instant to) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM vigil_insight_snapshot "
            + "WHERE database_name = :db AND taken_at > :from AND taken_at <= :to")
        .bind("db", db).bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli())
        .mapTo(Integer.class).one());
  }

  /** Share of the time in (from, to] that collection spent on the database (0..1). */
  double overhead(String db, Instant from, Instant to) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT SUM(duration_ms), SUM(interval_ms) FROM "
            + "vigil_insight_snapshot WHERE database_name = :db AND taken_at > :from AND taken_at <= :to")
        .bind("db", db).bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli())
        .map((rs, ctx) -> rs.getLong(2) == 0 ? 0.0 : rs.getLong(1) / (double) rs.getLong(2)).one());
  }

  /** Rows written per second to each table over (from, to]: inserts, updates, deletes. */
  Map<String, double[]> writeRates(String db, Instant from, Instant to) {
    Map<String, double[]> rates = new HashMap<>();
    store.jdbi().useHandle(h -> h.createQuery("SELECT table_name, SUM(inserts), SUM(updates), SUM(deletes), "
            + "SUM(interval_ms) FROM vigil_insight_table_delta WHERE database_name = :db AND taken_at > :from "
            + "AND taken_at <= :to GROUP BY table_name")
        .bind("db", db).bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli())
        .map((rs, ctx) -> {
          double secs = Math.max(1, rs.getLong(5)) / 1000.0;
          return Map.entry(rs.getString(1),
              new double[] {rs.getLong(2) / secs, rs.getLong(3) / secs, rs.getLong(4) / secs});
        })
        .forEach(e -> rates.put(e.getKey(), e.getValue())));
    return rates;
  }

  /** When Vigil first saw each index, recording {@code now} for those it sees for the first time. */
  Map<String, Instant> indexFirstSeen(String db, List<String> indexes, Instant now) {
    return store.jdbi().inTransaction(h -> {
      Map<String, Instant> seen = new HashMap<>();
      h.createQuery("SELECT index_name, first_seen FROM vigil_insight_index_seen WHERE database_name = :db")
          .bind("db", db)
          .map((rs, ctx) -> Map.entry(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))))
          .forEach(e -> seen.put(e.getKey(), e.getValue()));
      PreparedBatch batch = h.prepareBatch("INSERT INTO vigil_insight_index_seen(database_name, index_name, first_seen) "
          + "VALUES (:db, :i, :at)");
      for (String i : indexes) {
        if (!seen.containsKey(i)) {
          seen.put(i, now);
          batch.bind("db", db).bind("i", i).bind("at", now.toEpochMilli()).add();
        }
      }
      if (batch.size() > 0) {
        batch.execute();
      }
      return seen;
    });
  }

  /** Deletes deltas older than {@code before}. */
  void prune(String db, Instant before) {
    store.jdbi().useHandle(h -> {
      h.createUpdate("DELETE FROM vigil_insight_query_delta WHERE database_name = :db AND taken_at <= :t")
          .bind("db", db).bind("t", before.toEpochMilli()).execute();
      h.createUpdate("DELETE FROM vigil_insight_table_delta WHERE database_name = :db AND taken_at <= :t")
          .bind("db", db).bind("t", before.toEpochMilli()).execute();
      h.createUpdate("DELETE FROM vigil_insight_snapshot WHERE database_name = :db AND taken_at <= :t")
          .bind("db", db).bind("t", before.toEpochMilli()).execute();
      h.createUpdate("DELETE FROM vigil_insight_query_text WHERE database_name = :db AND last_seen <= :t")
          .bind("db", db).bind("t", before.toEpochMilli()).execute();
    });
  }

  private static Map<String, String> state(Handle h, String db) {
    Map<String, String> m = new HashMap<>();
    h.createQuery("SELECT state_key, state_value FROM vigil_insight_state WHERE database_name = :db").bind("db", db)
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).forEach(e -> m.put(e.getKey(), e.getValue()));
    return m;
  }

  private static void putState(Handle h, String db, String key, String value) {
    h.createUpdate("INSERT INTO vigil_insight_state(database_name, state_key, state_value) VALUES (:db, :k, :v) "
            + "ON CONFLICT (database_name, state_key) DO UPDATE SET state_value = :v")
        .bind("db", db).bind("k", key).bind("v", value).execute();
  }

  static QueryShape shape(String id, String text, long calls, double totalMs, long rows, long hits, long reads,
      InsightSettings settings) {
    double mean = calls == 0 ? 0 : totalMs / calls;
    boolean slow = mean >= settings.slowMean().toNanos() / 1e6 && calls >= settings.slowMinCalls();
    return new QueryShape(id, text == null ? "" : text, calls, totalMs, mean, rows, hits, reads, slow);
  }
}
