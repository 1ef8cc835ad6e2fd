package dev.vigil.insight;

import java.util.List;

/**
 * The existing indexes of a database.
 *
 * @param database the configured database name
 * @param indexes every index of the application's tables
 * @param notes what is missing or approximate
 */
public record IndexReport(String database, List<IndexInfo> indexes, List<String> notes) {
  /** Copies the lists. */
  public IndexReport {
    indexes = List.copyOf(indexes);
    notes = List.copyOf(notes);
  }

  /** The indexes with no scans that back no constraint. */
  public List<IndexInfo> unused() {
    return indexes.stream().filter(IndexInfo::unused).toList();
  }

  /** The indexes that repeat or are covered by another. */
  public List<IndexInfo> duplicates() {
    return indexes.stream().filter(i -> i.duplicateOf() != null || i.coveredBy() != null).toList();
  }

  /** The invalid indexes. */
  public List<IndexInfo> invalid() {
    return indexes.stream().filter(i -> !i.valid()).toList();
  }
}
