package dev.vigil.insight;

import java.util.List;

/**
 * The tables of a database, largest first.
 *
 * @param database the configured database name
 * @param tables the tables
 * @param notes what is missing or approximate
 */
public record TableReport(String database, List<TableInfo> tables, List<String> notes) {
  /** Copies the lists. */
  public TableReport {
    tables = List.copyOf(tables);
    notes = List.copyOf(notes);
  }
}
