package dev.vigil.optimizer.database;

import dev.vigil.insight.Advice;
import dev.vigil.insight.DatabaseInsight;
import dev.vigil.optimizer.Family;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.Proposal;
import dev.vigil.optimizer.Tuning;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Drops the indexes insight finds unused (no scans since the statistics reset, watched long enough,
 * backing no constraint, not unique) or duplicate (repeating another, or a prefix of another), at
 * {@link Level#AGGRESSIVE} (the optimizer takes a recovery checkpoint first). The definition that
 * re-creates the index ({@code pg_get_indexdef}, made concurrent, or the MariaDB/MySQL catalog's
 * columns) is kept in the proposal and in the undo state, so a rollback re-creates it. The target is the
 * write time on the table (fewer indexes to maintain); the guard is the time of the shapes reading
 * the table that name the index's leading column (those that may have used it), else all its reads.
 */
final class DropIndexTuning implements Tuning {
  private final DatabaseInsight insight;
  private final DataSource database;

  DropIndexTuning(DatabaseInsight insight, DataSource database) {
    this.insight = insight;
    this.database = database;
  }

  @Override
  public String name() {
    return "db.drop_index." + insight.name();
  }

  @Override
  public Family family() {
    return Family.DATABASE;
  }

  @Override
  public List<Proposal> propose() {
    List<Advice> drops = insight.maintenance().advice().stream().filter(a -> a.kind() == Advice.Kind.DROP_UNUSED_INDEX
        || a.kind() == Advice.Kind.DROP_DUPLICATE_INDEX).toList();
    if (drops.isEmpty()) {
      return List.of();
    }
    TableShapes shapes = TableShapes.recent(insight);
    List<Proposal> out = new ArrayList<>();
    for (Advice a : drops) {
      String schema = a.table().substring(0, a.table().lastIndexOf('.'));
      List<String> writes = shapes.writes(a.table());
      List<String> reads = shapes.reads(a.table(), a.columns().isEmpty() ? null : a.columns().get(0));
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("database", insight.name());
      details.put("table", a.table());
      details.put("schema", schema);
      details.put("index", a.index());
      details.put("columns", a.columns());
      details.put("statement", a.statement());
      details.put("recreate", a.undo());
      details.put("size_bytes", a.sizeBytes());
      details.put("shapes", writes);
      details.put("guard_shapes", reads);
      boolean unused = a.kind() == Advice.Kind.DROP_UNUSED_INDEX;
      out.add(new Proposal("db:" + insight.name() + ":drop_index:" + schema + "." + a.index(), Family.DATABASE,
          unused ? "drop_unused_index" : "drop_duplicate_index", Level.AGGRESSIVE, insight.name() + ": index "
          + a.index() + " on " + a.table(), a.reason(), "mean time of " + writes.size()
          + " shape(s) writing the table", details));
    }
    return out;
  }

  @Override
  public Map<String, String> apply(Proposal proposal) throws SQLException {
    AppDatabase.execute(database, Details.text(proposal, "statement"));
    return Map.of("index", Details.text(proposal, "schema") + "." + Details.text(proposal, "index"), "recreate",
        Details.text(proposal, "recreate"));
  }

  /**
   * Re-creates the index from its kept definition unless it is there and valid; an invalid one left by
   * an interrupted concurrent drop or build is dropped first.
   */
  @Override
  public void undo(Proposal proposal, Map<String, String> undo) throws SQLException {
    String recreate = undo.getOrDefault("recreate", Details.text(proposal, "recreate"));
    State state = state(Details.text(proposal, "schema"), Details.text(proposal, "table"),
        Details.text(proposal, "index"));
    if (state == State.VALID) {
      return;
    }
    if (state == State.INVALID) {
      AppDatabase.execute(database, Details.text(proposal, "statement"));
    }
    AppDatabase.execute(database, recreate);
  }

  @Override
  public Probe probe(Proposal proposal) {
    return new ShapeProbe(insight, "writes to " + Details.text(proposal, "table"), Details.list(proposal, "shapes"));
  }

  @Override
  public List<Probe> guards(Proposal proposal) {
    List<String> reads = Details.list(proposal, "guard_shapes");
    return reads.isEmpty() ? List.of() : List.of(new ShapeProbe(insight, "reads of " + Details.text(proposal, "table")
        + " that may use " + Details.text(proposal, "index"), reads));
  }

  /** Whether an index is there. */
  enum State {
    /** Not there. */
    ABSENT,
    /** There and usable. */
    VALID,
    /** There but unusable (a PostgreSQL concurrent build or drop that did not finish). */
    INVALID
  }

  State state(String schema, String qualifiedTable, String index) throws SQLException {
    String table = qualifiedTable.substring(qualifiedTable.lastIndexOf('.') + 1);
    String sql;
    List<String> params;
    switch (insight.engine()) {
      case POSTGRESQL -> {
        sql = "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?";
        params = List.of(schema, index);
      }
      case MYSQL -> {
        sql = "SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? "
            + "AND INDEX_NAME = ? LIMIT 1";
        params = List.of(schema, table, index);
      }
      case SQLITE -> {
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name = ?";
        params = List.of(table, index);
      }
      default -> throw new IllegalStateException("unknown engine " + insight.engine());
    }
    try (Connection c = database.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) {
        ps.setString(i + 1, params.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return State.ABSENT;
        }
        return rs.getBoolean(1) ? State.VALID : State.INVALID;
      }
    } catch (SQLException e) {
      throw new SQLException("cannot tell whether index " + schema + "." + index + " exists: " + e.getMessage(),
          e.getSQLState(), e);
    }
  }
}
