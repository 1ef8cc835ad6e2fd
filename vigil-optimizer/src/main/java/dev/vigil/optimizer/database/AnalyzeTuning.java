package dev.vigil.optimizer.database;

import dev.vigil.insight.Advice;
import dev.vigil.insight.DatabaseInsight;
import dev.vigil.insight.TableInfo;
import dev.vigil.optimizer.Family;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.Proposal;
import dev.vigil.optimizer.Tuning;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
final class AnalyzeTuning implements Tuning {
  static final String IRREVERSIBLE = "ANALYZE replaces the planner's statistics and the database keeps no earlier "
      + "copy to restore; it is harmless, since the next automatic analyze would gather the same statistics";
  private final DatabaseInsight insight;
  private final DataSource database;

  AnalyzeTuning(DatabaseInsight insight, DataSource database) {
    this.insight = insight;
    this.database = database;
  }

  @Override
  public String name() {
    return "db.analyze." + insight.name();
  }

  @Override
  public Family family() {
    return Family.DATABASE;
  }

  @Override
  public List<Proposal> propose() {
    List<Advice> stale = insight.maintenance().advice().stream().filter(a -> a.kind() == Advice.Kind.ANALYZE)
        .toList();
    if (stale.isEmpty()) {
      return List.of();
    }
    Map<String, TableInfo> tables = Details.tables(insight);
    TableShapes shapes = TableShapes.recent(insight);
    List<Proposal> out = new ArrayList<>();
    for (Advice a : stale) {
      TableInfo t = tables.get(a.table());
      String occasion = t == null ? "unknown" : Details.occasion(t.modificationsSinceAnalyze() < 0 ? "never"
          : "modified=" + t.modificationsSinceAnalyze(), t.lastAnalyze(), t.lastAutoanalyze());
      List<String> reads = shapes.reads(a.table(), null);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("database", insight.name());
      details.put("table", a.table());
      details.put("statement", a.statement());
      details.put("modified_rows", t == null ? -1 : t.modificationsSinceAnalyze());
      details.put("statistics_of", occasion);
      details.put("shapes", reads);
      details.put(Proposal.REVERSIBLE, false);
      details.put("irreversible_because", IRREVERSIBLE);
      out.add(new Proposal("db:" + insight.name() + ":analyze:" + a.table() + "@" + occasion, Family.DATABASE,
          "analyze", Level.MEDIUM, insight.name() + ": " + a.table(), a.reason(), "mean time of " + reads.size()
          + " shape(s) reading the table", details));
    }
    return out;
  }

  @Override
  public Map<String, String> apply(Proposal proposal) throws SQLException {
    String statement = Details.text(proposal, "statement");
    AppDatabase.execute(database, statement);
    return Map.of("statement", statement);
  }

  /**
   * Nothing to clean up after an interrupted apply (an ANALYZE of one table is all or nothing);
   * refuses to undo one that ran.
   *
   * @throws UnsupportedOperationException for an applied ANALYZE, with the reason
   */
  @Override
  public void undo(Proposal proposal, Map<String, String> undo) {
    if (undo.isEmpty()) {
      return;
    }
    throw new UnsupportedOperationException("cannot undo " + proposal.target() + " (" + undo.get("statement") + "): "
        + IRREVERSIBLE);
  }

  @Override
  public Probe probe(Proposal proposal) {
    return new ShapeProbe(insight, "reads of " + Details.text(proposal, "table"), Details.list(proposal, "shapes"));
  }
}
