package dev.vigil.optimizer.database;

import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.insight.Advice;
import dev.vigil.insight.DatabaseInsight;
import dev.vigil.insight.TableInfo;
import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.Tuning;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database tunings of one application database, fed by its {@link DatabaseInsight}: the advisor's
 * indexes built concurrently ({@link IndexTuning}, {@code db.index.<name>}, level high below a table
 * size limit), ANALYZE of stale statistics ({@code db.analyze.<name>}, medium), VACUUM of bloated
 * tables ({@code db.vacuum.<name>}, high), and dropping unused or duplicate indexes with their
 * definitions kept for a rollback ({@code db.drop_index.<name>}, aggressive). Every effect is measured
 * with insight's per-shape history (mean time per call of the shapes a change serves; for an index,
 * the table's write shapes as a guard).
 *
 * <pre>{@code
 * List<Tuning> tunings = DatabaseTunings.of(insight, DatabaseUrl.parse(url), IndexTuning.DEFAULT_MAX_TABLE_BYTES);
 * }</pre>
 */
public final class DatabaseTunings {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseTunings.class);

  private DatabaseTunings() {
  }

  /**
   * The tunings of one database.
   *
   * @param insight insight into it (the source of advice and measurements)
   * @param url where changes are made: a user allowed to create and drop indexes, ANALYZE and VACUUM its tables
   * @param maxIndexTableBytes largest table an index is built on without asking at level high
   * @throws IllegalArgumentException when the URL is for another engine than the insight's
   */
  public static List<Tuning> of(DatabaseInsight insight, DatabaseUrl url, long maxIndexTableBytes) {
    Objects.requireNonNull(insight, "insight");
    Objects.requireNonNull(url, "url");
    if (url.engine() != insight.engine()) {
      throw new IllegalArgumentException("database '" + insight.name() + "' is " + insight.engine()
          + " in insight but " + url.engine() + " in " + url.redacted());
    }
    DataSource database = AppDatabase.of(url);
    return List.of(
        new IndexTuning("db.index." + insight.name(), database, AppDatabase.dialect(url.engine()),
            () -> candidates(insight), c -> new ShapeProbe(insight, "shapes served by " + c.describe(), c.shapes()),
            c -> guards(insight, c), maxIndexTableBytes),
        new AnalyzeTuning(insight, database),
        new VacuumTuning(insight, database),
        new DropIndexTuning(insight, database));
  }

  /** The advisor's create-index advice as candidates, with the table's size and its write shapes. */
  static List<IndexCandidate> candidates(DatabaseInsight insight) {
    List<Advice> advice = insight.indexAdvice().advice().stream().filter(a -> a.kind() == Advice.Kind.CREATE_INDEX)
        .toList();
    if (advice.isEmpty()) {
      return List.of();
    }
    Map<String, TableInfo> tables = Details.tables(insight);
    TableShapes shapes = TableShapes.recent(insight);
    List<IndexCandidate> out = new ArrayList<>();
    for (Advice a : advice) {
      TableInfo t = tables.get(a.table());
      String reason = a.reason() + " (" + a.method() + ")";
      try {
        out.add(new IndexCandidate(insight.name(), a.table(), a.columns(), reason, a.shapeIds(),
            t == null ? -1 : t.totalBytes(), shapes.writes(a.table())));
      } catch (IllegalArgumentException e) {
        LOG.warn("optimizer: index advice {} on database '{}' is not built automatically: {}", a.id(),
            insight.name(), e.getMessage());
      }
    }
    return out;
  }

  private static List<Probe> guards(DatabaseInsight insight, IndexCandidate c) {
    return c.guardShapes().isEmpty() ? List.of()
        : List.of(new ShapeProbe(insight, "writes to " + c.table(), c.guardShapes()));
  }
}
