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
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Table maintenance database insight advises (ANALYZE, VACUUM): the advice's one statement per table,
 * measured by the mean time of the shapes reading the table. It cannot be undone, so its proposals say
 * {@code reversible: false} and {@link #undo} refuses with the reason. A subclass says which advice it
 * acts on, the facts and occasion of a proposal, and the level it needs.
 */
abstract class MaintenanceTuning implements Tuning {
  private final DatabaseInsight insight;
  private final DataSource database;
  private final Advice.Kind kind;
  private final String irreversible;

  MaintenanceTuning(DatabaseInsight insight, DataSource database, Advice.Kind kind, String irreversible) {
    this.insight = insight;
    this.database = database;
    this.kind = kind;
    this.irreversible = irreversible;
  }

  /** The occasion that makes the same table's maintenance a new proposal, e.g. the last analyze time. */
  abstract String occasion(TableInfo table);

  /** Adds the figures that led to the advice to a proposal's details. */
  abstract void facts(Advice advice, TableInfo table, String occasion, Map<String, Object> details);

  /** The level the maintenance needs on this database. */
  abstract Level level();

  /** Why, for people: the advice's reason unless the engine adds a caveat. */
  String reason(Advice advice) {
    return advice.reason();
  }

  final DatabaseInsight insight() {
    return insight;
  }

  private String label() {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String name() {
    return "db." + label() + "." + insight.name();
  }

  @Override
  public Family family() {
    return Family.DATABASE;
  }

  @Override
  public List<Proposal> propose() {
    List<Advice> advised = insight.maintenance().advice().stream().filter(a -> a.kind() == kind).toList();
    if (advised.isEmpty()) {
      return List.of();
    }
    Map<String, TableInfo> tables = Details.tables(insight);
    TableShapes shapes = TableShapes.recent(insight);
    List<Proposal> out = new ArrayList<>();
    for (Advice a : advised) {
      TableInfo t = tables.get(a.table());
      String occasion = t == null ? "unknown" : occasion(t);
      List<String> reads = shapes.reads(a.table(), null);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("database", insight.name());
      details.put("table", a.table());
      details.put("statement", a.statement());
      facts(a, t, occasion, details);
      details.put("shapes", reads);
      details.put(Proposal.REVERSIBLE, false);
      details.put("irreversible_because", irreversible);
      out.add(new Proposal("db:" + insight.name() + ":" + label() + ":" + a.table() + "@" + occasion,
          Family.DATABASE, label(), level(), insight.name() + ": " + a.table(), reason(a), "mean time of "
          + reads.size() + " shape(s) reading the table", details));
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
   * Nothing to clean up after an interrupted apply (the statement on one table is all or nothing, or
   * leaves it partly maintained, never broken); refuses to undo one that ran.
   *
   * @throws UnsupportedOperationException for applied maintenance, with the reason
   */
  @Override
  public void undo(Proposal proposal, Map<String, String> undo) {
    if (undo.isEmpty()) {
      return;
    }
    throw new UnsupportedOperationException("cannot undo " + proposal.target() + " (" + undo.get("statement") + "): "
        + irreversible);
  }

  @Override
  public Probe probe(Proposal proposal) {
    return new ShapeProbe(insight, "reads of " + Details.text(proposal, "table"), Details.list(proposal, "shapes"));
  }
}
