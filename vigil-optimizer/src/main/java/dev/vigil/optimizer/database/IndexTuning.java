package dev.vigil.optimizer.database;

import dev.vigil.optimizer.Family;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.Proposal;
import dev.vigil.optimizer.Tuning;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Creates the indexes an advisor suggests on an application database and drops them again on
 * rollback. On PostgreSQL the build is {@code CREATE INDEX CONCURRENTLY} (no write lock) and the drop
 * {@code DROP INDEX CONCURRENTLY IF EXISTS}, which also removes the invalid index a build interrupted
 * by a crash leaves behind. Applied at {@link Level#HIGH} when the table is at most the size limit, else
 * at {@link Level#AGGRESSIVE} (a long build). Its effect is measured by the probe the caller gives for
 * the shapes each index serves; the table's write latency, when given, is a guard.
 */
public final class IndexTuning implements Tuning {
  /** The SQL dialect of the target database. */
  public enum Dialect {
    /** PostgreSQL: concurrent builds and drops. */
    POSTGRESQL,
    /** MariaDB/MySQL: online DDL ({@code ALGORITHM=INPLACE, LOCK=NONE}). */
    MYSQL,
    /** SQLite. */
    SQLITE
  }

  /** The share by which the served shapes must get faster for an index to be kept. */
  public static final double MIN_GAIN = 0.3;

  /** Largest table (bytes) an index is built on without asking at {@link Level#HIGH}: 10 GiB. */
  public static final long DEFAULT_MAX_TABLE_BYTES = 10L << 30;

  private final String name;
  private final DataSource database;
  private final Dialect dialect;
  private final Supplier<List<IndexCandidate>> advisor;
  private final Function<IndexCandidate, Probe> probe;
  private final Function<IndexCandidate, List<Probe>> guards;
  private final long maxTableBytes;

  /**
   * A tuning over one database.
   *
   * @param name unique name, e.g. {@code db.index.erp}
   * @param database where indexes are built (a role allowed to create and drop indexes on the tables)
   * @param advisor the current candidates
   * @param probe measures the shapes a candidate serves (e.g. per-call mean time from statement statistics)
   * @param guards metrics a candidate may harm (e.g. insert/update latency on its table)
   */
  public IndexTuning(String name, DataSource database, Dialect dialect, Supplier<List<IndexCandidate>> advisor,
      Function<IndexCandidate, Probe> probe, Function<IndexCandidate, List<Probe>> guards) {
    this(name, database, dialect, advisor, probe, guards, DEFAULT_MAX_TABLE_BYTES);
  }

  /**
   * A tuning over one database that builds without asking (at {@link Level#HIGH}) only on tables of at
   * most {@code maxTableBytes}; larger ones need {@link Level#AGGRESSIVE}.
   *
   * @throws IllegalArgumentException when the limit is not positive
   */
  public IndexTuning(String name, DataSource database, Dialect dialect, Supplier<List<IndexCandidate>> advisor,
      Function<IndexCandidate, Probe> probe, Function<IndexCandidate, List<Probe>> guards, long maxTableBytes) {
    if (maxTableBytes <= 0) {
      throw new IllegalArgumentException("the table size limit of index builds must be positive; got " + maxTableBytes);
    }
    this.maxTableBytes = maxTableBytes;
    this.name = Objects.requireNonNull(name, "name");
    this.database = Objects.requireNonNull(database, "database");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.advisor = Objects.requireNonNull(advisor, "advisor");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.guards = Objects.requireNonNull(guards, "guards");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Family family() {
    return Family.DATABASE;
  }

  @Override
  public List<Proposal> propose() {
    List<Proposal> out = new ArrayList<>();
    for (IndexCandidate c : advisor.get()) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("database", c.database());
      details.put("table", c.table());
      details.put("columns", c.columns());
      details.put("shapes", c.shapes());
      details.put("index", c.indexName());
      details.put("statement", create(c));
      details.put("undo", drop(c.indexName(), c.table()));
      details.put("table_bytes", c.tableBytes());
      details.put("guard_shapes", c.guardShapes());
      details.put(Proposal.MIN_EFFECT, MIN_GAIN);
      boolean large = c.tableBytes() > maxTableBytes;
      String reason = large ? c.reason() + String.format(Locale.ROOT, "; the table is %d MB, above the %d MB built "
          + "without asking at level high", c.tableBytes() >> 20, maxTableBytes >> 20) : c.reason();
      out.add(new Proposal("db:" + c.database() + ":index:" + c.describe(), Family.DATABASE, "create_index",
          large ? Level.AGGRESSIVE : Level.HIGH, c.database() + ": " + c.describe(), reason, "mean time of "
          + c.shapes().size() + " query shape(s)", details));
    }
    return out;
  }

  @Override
  public Map<String, String> apply(Proposal proposal) throws SQLException {
    execute(String.valueOf(proposal.details().get("statement")));
    return Map.of("index", String.valueOf(proposal.details().get("index")));
  }

  @Override
  public void undo(Proposal proposal, Map<String, String> undo) throws SQLException {
    execute(drop(String.valueOf(proposal.details().get("index")), String.valueOf(proposal.details().get("table"))));
  }

  @Override
  public Probe probe(Proposal proposal) {
    return probe.apply(candidate(proposal));
  }

  @Override
  public List<Probe> guards(Proposal proposal) {
    return guards.apply(candidate(proposal));
  }

  private String create(IndexCandidate c) {
    String cols = String.join(", ", c.columns());
    return switch (dialect) {
      case POSTGRESQL -> "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + c.indexName() + " ON " + c.table() + " (" + cols
          + ")";
      case MYSQL -> "CREATE INDEX " + c.indexName() + " ON " + c.table() + " (" + cols + ") ALGORITHM=INPLACE LOCK=NONE";
      case SQLITE -> "CREATE INDEX IF NOT EXISTS " + c.indexName() + " ON " + c.table() + " (" + cols + ")";
    };
  }

  private String drop(String index, String table) {
    return switch (dialect) {
      case POSTGRESQL -> "DROP INDEX CONCURRENTLY IF EXISTS " + index;
      case MYSQL -> "DROP INDEX IF EXISTS " + index + " ON " + table;
      case SQLITE -> "DROP INDEX IF EXISTS " + index;
    };
  }

  @SuppressWarnings("unchecked")
  private static IndexCandidate candidate(Proposal p) {
    Object bytes = p.details().get("table_bytes");
    Object guardShapes = p.details().get("guard_shapes");
    return new IndexCandidate(String.valueOf(p.details().get("database")), String.valueOf(p.details().get("table")),
        (List<String>) p.details().get("columns"), p.reason(), (List<String>) p.details().get("shapes"),
        bytes instanceof Number n ? n.longValue() : -1, guardShapes == null ? List.of() : (List<String>) guardShapes);
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(true); // CONCURRENTLY cannot run inside a transaction block
      s.execute(sql);
    } catch (SQLException e) {
      throw new SQLException(sql + ": " + e.getMessage(), e.getSQLState(), e);
    }
  }
}
