package dev.vigil.optimizer.database;

import dev.vigil.insight.Advice;
import dev.vigil.insight.DatabaseInsight;
import dev.vigil.insight.TableInfo;
import dev.vigil.optimizer.Level;
import java.util.Map;
import javax.sql.DataSource;

/**
 * ANALYZE of the tables whose planner statistics are stale (insight's judgement: PostgreSQL's rows
 * modified since the last analyze against the table's rows, InnoDB's modified-row counter, SQLite's
 * missing or outdated {@code sqlite_stat1}), at {@link Level#MEDIUM}: it takes no lock that blocks
 * reads or writes. Measured by the mean time of the shapes reading the table.
 *
 * <p>It cannot be undone: the engine replaces its statistics and keeps no earlier copy to restore
 * (PostgreSQL 15 has no way to write {@code pg_statistic} back). It is harmless, though: the same
 * statistics would be gathered by the next automatic analyze. Its proposals say {@code reversible:
 * false}, the optimizer leaves it in place when the measurements show no gain, and {@link #undo}
 * refuses with the reason.
 */
final class AnalyzeTuning extends MaintenanceTuning {
  static final String IRREVERSIBLE = "ANALYZE replaces the planner's statistics and the database keeps no earlier "
      + "copy to restore; it is harmless, since the next automatic analyze would gather the same statistics";

  AnalyzeTuning(DatabaseInsight insight, DataSource database) {
    super(insight, database, Advice.Kind.ANALYZE, IRREVERSIBLE);
  }

  @Override
  String occasion(TableInfo t) {
    return Details.occasion(t.modificationsSinceAnalyze() < 0 ? "never" : "modified=" + t.modificationsSinceAnalyze(),
        t.lastAnalyze(), t.lastAutoanalyze());
  }

  @Override
  void facts(Advice advice, TableInfo t, String occasion, Map<String, Object> details) {
    details.put("modified_rows", t == null ? -1 : t.modificationsSinceAnalyze());
    details.put("statistics_of", occasion);
  }

  @Override
  Level level() {
    return Level.MEDIUM;
  }
}
