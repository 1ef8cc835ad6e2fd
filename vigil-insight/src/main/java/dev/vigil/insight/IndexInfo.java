package dev.vigil.insight;

import java.util.List;

/**
 * One existing index and what is wrong with it, if anything.
 *
 * @param schema schema (the database name for MariaDB/MySQL, {@code main} for SQLite)
 * @param table table name
 * @param name index name
 * @param definition the statement that creates it
 * @param columns key columns in order ({@code (expression)} for expressions)
 * @param sizeBytes on-disk size ({@code -1} when the engine does not say)
 * @param scans index scans since the statistics were reset ({@code -1} when unknown)
 * @param unique whether it enforces uniqueness
 * @param backsConstraint whether a primary key, unique or exclusion constraint uses it
 * @param valid {@code false} for an invalid index (a failed {@code CREATE INDEX CONCURRENTLY})
 * @param unused no scans, not backing a constraint, and watched for at least the configured age
 * @param duplicateOf the index with the same definition this one repeats, else {@code null}
 * @param coveredBy the index whose leading columns include this one's (a redundant prefix), else {@code null}
 */
public record IndexInfo(String schema, String table, String name, String definition, List<String> columns,
    long sizeBytes, long scans, boolean unique, boolean backsConstraint, boolean valid, boolean unused,
    String duplicateOf, String coveredBy) {
  /** Copies the list. */
  public IndexInfo {
    columns = List.copyOf(columns);
  }

  /** {@code schema.name}. */
  public String qualifiedName() {
    return schema + "." + name;
  }
}
