package dev.vigil.monitor.anomaly;

import dev.vigil.core.store.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flagged anomalies: the latest ones in memory and, when a state store is given, all of the last
 * {@link #RETENTION} in the store's {@code monitor_anomaly} table, per host. Thread-safe.
 */
public final class AnomalyLog {
  /** How long stored anomalies are kept. */
  public static final Duration RETENTION = Duration.ofDays(90);
  private static final Logger LOG = LoggerFactory.getLogger(AnomalyLog.class);

  private final StateStore store;
  private final String host;
  private final int memoryCap;
  private final ArrayDeque<Anomaly> recent = new ArrayDeque<>();
  private long prunedDay = Long.MIN_VALUE;

  /**
   * A log keeping the last {@code memoryCap} anomalies in memory and, if {@code store} is not null,
   * all of them in the store under {@code host}.
   */
  public AnomalyLog(StateStore store, String host, int memoryCap) {
    if (memoryCap < 1) {
      throw new IllegalArgumentException("anomaly memory must hold at least one, not " + memoryCap);
    }
    this.store = store;
    this.host = Objects.requireNonNull(host, "host");
    this.memoryCap = memoryCap;
    if (store != null) {
      store.migrate("monitor");
    }
  }

  /** Keeps {@code anomalies}; a store that cannot be written is logged, the memory copy is kept. */
  public void add(List<Anomaly> anomalies) {
    if (anomalies.isEmpty()) {
      return;
    }
    synchronized (this) {
      for (Anomaly a : anomalies) {
        recent.addLast(a);
        if (recent.size() > memoryCap) {
          recent.removeFirst();
        }
      }
    }
    if (store == null) {
      return;
    }
    try {
      store.jdbi().useTransaction(h -> {
        PreparedBatch batch = h.prepareBatch("INSERT INTO monitor_anomaly (host, metric, at, value, score, baseline) "
            + "VALUES (:host, :metric, :at, :value, :score, :baseline) ON CONFLICT (host, metric, at) DO NOTHING");
        for (Anomaly a : anomalies) {
          batch.bind("host", host).bind("metric", a.metric()).bind("at", a.time().toEpochMilli())
              .bind("value", a.value()).bind("score", a.score()).bind("baseline", a.baseline()).add();
        }
        batch.execute();
        long now = anomalies.get(anomalies.size() - 1).time().toEpochMilli();
        long day = Math.floorDiv(now, Duration.ofDays(1).toMillis());
        if (day != prunedDay) {
          h.createUpdate("DELETE FROM monitor_anomaly WHERE at < :cut").bind("cut", now - RETENTION.toMillis()).execute();
          prunedDay = day;
        }
      });
    } catch (RuntimeException e) {
      LOG.warn("cannot write {} anomalies to the state store {}; they stay in memory only", anomalies.size(), store, e);
    }
  }

  /**
   * The anomalies with {@code from <= time < to}, of {@code metric} only when it is not null, oldest first:
   * from the store when there is one, else from memory.
   */
  public List<Anomaly> list(Instant from, Instant to, String metric) {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
    }
    if (store != null) {
      String sql = "SELECT metric, at, value, score, baseline FROM monitor_anomaly WHERE host = :host AND at >= :from "
          + "AND at < :to" + (metric == null ? "" : " AND metric = :metric") + " ORDER BY at, metric";
      return store.jdbi().withHandle(h -> {
        var q = h.createQuery(sql).bind("host", host).bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli());
        if (metric != null) {
          q.bind("metric", metric);
        }
        return q.map((rs, ctx) -> new Anomaly(Instant.ofEpochMilli(rs.getLong(2)), rs.getString(1), rs.getDouble(3),
            rs.getDouble(4), rs.getDouble(5))).list();
      });
    }
    List<Anomaly> out = new ArrayList<>();
    synchronized (this) {
      for (Anomaly a : recent) {
        if (!a.time().isBefore(from) && a.time().isBefore(to) && (metric == null || metric.equals(a.metric()))) {
          out.add(a);
        }
      }
    }
    return out;
  }
}
