package dev.vigil.insight;

import java.util.List;

/**
 * Cumulative statistics read from the database in one snapshot.
 *
 * @param shapes per-shape counters since the engine's statistics were last reset
 * @param tables per-table write counters
 * @param resetMarker changes when the engine's statistics were reset ({@code null} when the engine does not say)
 */
record Counters(List<Shape> shapes, List<Table> tables, String resetMarker) {

  /** One shape's cumulative counters. */
  record Shape(String shapeId, String query, long calls, double totalMs, long rows, long hits, long reads) {
  }

  /** One table's cumulative write counters. */
  record Table(String table, long inserts, long updates, long deletes) {
  }
}
