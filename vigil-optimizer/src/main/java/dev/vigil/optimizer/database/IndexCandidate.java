package dev.vigil.optimizer.database;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An index worth trying on one table of an application database, as an advisor found it.
 *
 * @param database the configured database's name
 * @param table the table (optionally {@code schema.table})
 * @param columns the indexed columns in order
 * @param reason why, with the figures (e.g. the plan cost before and after)
 * @param shapes the query shapes it should make faster (identifiers the probe understands)
 * @param tableBytes the table's size, which decides whether it is built without asking ({@code -1} unknown)
 * @param guardShapes the shapes it may slow down (the table's writes), measured as a guard
 */
public record IndexCandidate(String database, String table, List<String> columns, String reason, List<String> shapes,
    long tableBytes, List<String> guardShapes) {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

  /**
   * Validates the candidate: table and column names must be plain identifiers, since they are written
   * into DDL.
   *
   * @throws IllegalArgumentException naming the bad identifier
   */
  public IndexCandidate {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(reason, "reason");
    columns = List.copyOf(columns);
    shapes = List.copyOf(shapes);
    guardShapes = List.copyOf(guardShapes);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("an index needs at least one column on " + table);
    }
    for (String part : table.split("\\.", -1)) {
      identifier(part);
    }
    columns.forEach(IndexCandidate::identifier);
  }

  /** A candidate on a table of unknown size with no guard shapes named. */
  public IndexCandidate(String database, String table, List<String> columns, String reason, List<String> shapes) {
    this(database, table, columns, reason, shapes, -1, List.of());
  }

  /** The index's name: {@code vigil_opt_<table>_<columns>}, at most 63 characters. */
  public String indexName() {
    String name = "vigil_opt_" + table.replace('.', '_') + "_" + String.join("_", columns);
    return name.length() <= 63 ? name.toLowerCase() : (name.substring(0, 54) + "_"
        + Integer.toHexString(name.hashCode() & 0xfffffff)).toLowerCase();
  }

  /** {@code table(col1, col2)} for people. */
  public String describe() {
    return table + "(" + String.join(", ", columns) + ")";
  }

  private static void identifier(String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain SQL identifier: '" + name + "'");
    }
  }
}
