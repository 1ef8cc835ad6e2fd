package dev.vigil.optimizer.database;

import dev.vigil.insight.DatabaseInsight;
import dev.vigil.insight.TableInfo;
import dev.vigil.optimizer.Proposal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/** Reading back what the database tunings keep in a proposal's details (they survive restarts as JSON). */
final class Details {
  private Details() {
  }

  /**
   * A text detail.
   *
   * @throws IllegalStateException naming the missing detail
   */
  static String text(Proposal p, String key) {
    Object v = p.details().get(key);
    if (v == null) {
      throw new IllegalStateException("optimizer proposal " + p.key() + " has no '" + key + "' detail");
    }
    return v.toString();
  }

  /** A list-of-text detail (empty when absent). */
  static List<String> list(Proposal p, String key) {
    Object v = p.details().get(key);
    return v instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
  }

  /** The tables of a database by {@code schema.table}. */
  static Map<String, TableInfo> tables(DatabaseInsight insight) {
    Map<String, TableInfo> out = new HashMap<>();
    insight.tables().tables().forEach(t -> out.put(t.qualifiedName(), t));
    return out;
  }

  /**
   * What marks one occasion of a maintenance need, so an action done once does not block the same
   * maintenance when it is needed again: the latest of the given instants, else {@code fallback}.
   */
  static String occasion(String fallback, Instant... instants) {
    return Stream.of(instants).filter(Objects::nonNull).max(Instant::compareTo).map(i -> Long.toString(i
        .toEpochMilli())).orElse(fallback);
  }
}
