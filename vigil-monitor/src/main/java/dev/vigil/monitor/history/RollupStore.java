package dev.vigil.monitor.history;

import dev.vigil.core.store.StateStore;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The roll-up tables in the state store ({@code monitor_rollup_1m}, {@code monitor_rollup_1h}), one
 * row per host, metric and bucket. Plain SQL; the only dialect difference is SQLite's two-argument
 * {@code min/max} against PostgreSQL's {@code LEAST/GREATEST}.
 */
final class RollupStore {
  private final StateStore store;
  private final String host;

  /** Opens the tables of {@code host} in {@code store}, migrating them first. */
  RollupStore(StateStore store, String host) {
    this.store = Objects.requireNonNull(store, "store");
    this.host = Objects.requireNonNull(host, "host");
    store.migrate("monitor");
  }

  /** Where the roll-ups live, without credentials. */
  String describe() {
    return store.toString();
  }

  /** Adds {@code buckets} to the tier, merging with rows already there (a minute continued after a restart). */
  void merge(Tier tier, Collection<Bucket> buckets) {
    if (buckets.isEmpty()) {
      return;
    }
    String t = table(tier);
    String least = store.kind() == StateStore.Kind.SQLITE ? "min" : "LEAST";
    String greatest = store.kind() == StateStore.Kind.SQLITE ? "max" : "GREATEST";
    String sql = "INSERT INTO " + t + " (host, metric, bucket, min_value, max_value, sum_value, sample_count) "
        + "VALUES (:host, :metric, :bucket, :min, :max, :sum, :count) "
        + "ON CONFLICT (host, metric, bucket) DO UPDATE SET "
        + "min_value = " + least + "(" + t + ".min_value, excluded.min_value), "
        + "max_value = " + greatest + "(" + t + ".max_value, excluded.max_value), "
        + "sum_value = " + t + ".sum_value + excluded.sum_value, "
        + "sample_count = " + t + ".sample_count + excluded.sample_count";
    store.jdbi().useTransaction(h -> {
      PreparedBatch batch = h.prepareBatch(sql);
      for (Bucket b : buckets) {
        batch.bind("host", host).bind("metric", b.metric()).bind("bucket", b.start()).bind("min", b.min())
            .bind("max", b.max()).bind("sum", b.sum()).bind("count", b.count()).add();
      }
      batch.execute();
    });
  }

  /** Recomputes the hour starting at {@code hourStart} from its minute rows. */
  void rollUpHour(long hourStart) {
    String sql = "INSERT INTO monitor_rollup_1h (host, metric, bucket, min_value, max_value, sum_value, sample_count) "
        + "SELECT host, metric, :hour, MIN(min_value), MAX(max_value), SUM(sum_value), SUM(sample_count) "
        + "FROM monitor_rollup_1m WHERE host = :host AND bucket >= :hour AND bucket < :end GROUP BY host, metric "
        + "ON CONFLICT (host, metric, bucket) DO UPDATE SET min_value = excluded.min_value, "
        + "max_value = excluded.max_value, sum_value = excluded.sum_value, sample_count = excluded.sample_count";
    store.jdbi().useHandle(h -> h.createUpdate(sql).bind("host", host).bind("hour", hourStart)
        .bind("end", hourStart + Tier.HOUR.resolution().toMillis()).execute());
  }

  /** The buckets of {@code metric} in the tier with {@code from <= start < to}, oldest first. */
  List<Bucket> read(Tier tier, String metric, long from, long to) {
    String sql = "SELECT bucket, min_value, max_value, sum_value, sample_count FROM " + table(tier)
        + " WHERE host = :host AND metric = :metric AND bucket >= :from AND bucket < :to ORDER BY bucket";
    return store.jdbi().withHandle(h -> h.createQuery(sql).bind("host", host).bind("metric", metric)
        .bind("from", from).bind("to", to)
        .map((rs, ctx) -> new Bucket(metric, rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getLong(5)))
        .list());
  }

  /** Deletes buckets past each tier's retention (of every host: retention is the store's policy). */
  void prune(long nowMillis) {
    store.jdbi().useTransaction(h -> {
      h.createUpdate("DELETE FROM monitor_rollup_1m WHERE bucket < :cut")
          .bind("cut", nowMillis - Tier.MINUTE.retention().toMillis()).execute();
      h.createUpdate("DELETE FROM monitor_rollup_1h WHERE bucket < :cut")
          .bind("cut", nowMillis - Tier.HOUR.retention().toMillis()).execute();
    });
  }

  private static String table(Tier tier) {
    switch (tier) {
      case MINUTE:
        return "monitor_rollup_1m";
      case HOUR:
        return "monitor_rollup_1h";
      default:
        throw new IllegalArgumentException("the " + tier.apiName() + " tier is not stored");
    }
  }
}
