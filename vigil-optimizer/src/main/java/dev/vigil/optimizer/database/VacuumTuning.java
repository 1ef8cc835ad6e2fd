package dev.vigil.optimizer.database;

import dev.vigil.backup.engine.EngineKind;
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
 * Reclaims the space of bloated tables (insight's judgement: PostgreSQL's dead rows and width-based
 * estimate, InnoDB's free tablespace): {@code VACUUM (ANALYZE)} on PostgreSQL and {@code OPTIMIZE TABLE}
 * (an online rebuild) on MariaDB/MySQL at {@link Level#HIGH}; SQLite's {@code VACUUM} rewrites the whole
 * file under an exclusive lock, so there it needs {@link Level#AGGRESSIVE}. Measured by the mean time
 * of the shapes reading the table (fewer pages to scan).
 *
 * <p>It cannot be undone (the reclaimed row versions and space are gone, and no data or plan depends
 * on them): proposals say {@code reversible: false} and {@link #undo} refuses with the reason.
 */
final class VacuumTuning implements Tuning {
  static final String IRREVERSIBLE = "VACUUM removes dead row versions and reclaims their space; there is nothing to "
      + "put back, and it changes no data";
  private final DatabaseInsight insight;
  private final DataSource database;

  VacuumTuning(DatabaseInsight insight, DataSource database) {
    this.insight = insight;
    this.database = database;
  }

  @Override
  public String name() {
    return "db.vacuum." + insight.name();
  }

  @Override
  public Family family() {
    return Family.DATABASE;
  }

  @Override
  public List<Proposal> propose() {
    List<Advice> bloated = insight.maintenance().advice().stream().filter(a -> a.kind() == Advice.Kind.VACUUM)
        .toList();
    if (bloated.isEmpty()) {
      return List.of();
    }
    Map<String, TableInfo> tables = Details.tables(insight);
    TableShapes shapes = TableShapes.recent(insight);
    List<Proposal> out = new ArrayList<>();
    for (Advice a : bloated) {
      TableInfo t = tables.get(a.table());
      String occasion = t == null ? "unknown" : Details.occasion("waste=" + (t.bloatBytes() >> 20) + "MB",
          t.lastVacuum(), t.lastAutovacuum());
      List<String> reads = shapes.reads(a.table(), null);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("database", insight.name());
      details.put("table", a.table());
      details.put("statement", a.statement());
      details.put("waste_bytes", a.sizeBytes());
      details.put("dead_rows", t == null ? -1 : t.deadRows());
      details.put("shapes", reads);
      details.put(Proposal.REVERSIBLE, false);
      details.put("irreversible_because", IRREVERSIBLE);
      boolean exclusive = insight.engine() == EngineKind.SQLITE;
      out.add(new Proposal("db:" + insight.name() + ":vacuum:" + a.table() + "@" + occasion, Family.DATABASE,
          "vacuum", exclusive ? Level.AGGRESSIVE : Level.HIGH, insight.name() + ": " + a.table(),
          a.reason() + (exclusive ? "; SQLite's VACUUM locks the whole database while it rewrites it" : ""),
          "mean time of " + reads.size() + " shape(s) reading the table", details));
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
   * Nothing to clean up after an interrupted apply (a VACUUM that stops leaves the table as it was, or
   * partly cleaned, never broken); refuses to undo one that ran.
   *
   * @throws UnsupportedOperationException for an applied VACUUM, with the reason
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
