package dev.vigil.insight;

import java.util.List;

/**
 * One recommended change, with what an optimizer needs to apply, measure and undo it.
 *
 * @param id stable id of the recommendation (same change, same id)
 * @param kind what the change does
 * @param table the table it touches ({@code schema.table})
 * @param index the index created or dropped ({@code null} for VACUUM and ANALYZE)
 * @param columns the index's columns in order (empty for VACUUM and ANALYZE)
 * @param statement the statement to apply (non-blocking form where the engine has one)
 * @param undo the statement that reverts it, or {@code null} when nothing needs reverting (VACUUM, ANALYZE)
 * @param shapeIds the query shapes it is expected to help (empty for maintenance)
 * @param costBefore the planner's cost of those shapes before, weighted by calls ({@code -1} when not costed)
 * @param costAfter the estimated cost after ({@code -1} when not costed)
 * @param sizeBytes estimated size of a new index, or the space a drop or vacuum frees ({@code -1} when unknown)
 * @param writesPerSecond rows inserted, updated or deleted per second on the table: the write overhead of an index
 * @param method how it was found: {@code hypopg} (costed with hypothetical indexes), {@code heuristic}
 *     (from plans and the catalog, not costed), {@code catalog} (statistics of existing objects)
 * @param reason why, in plain words
 */
public record Advice(String id, Kind kind, String table, String index, List<String> columns, String statement,
    String undo, List<String> shapeIds,
    double costBefore, double costAfter, long sizeBytes, double writesPerSecond, String method, String reason) {
  /** Copies the list. */
  public Advice {
    columns = List.copyOf(columns);
    shapeIds = List.copyOf(shapeIds);
  }

  /** What a piece of advice does. */
  public enum Kind {
    /** Create a missing index. */
    CREATE_INDEX,
    /** Drop an unused index. */
    DROP_UNUSED_INDEX,
    /** Drop an index another one repeats or covers. */
    DROP_DUPLICATE_INDEX,
    /** Rebuild an invalid index. */
    REINDEX,
    /** Reclaim dead rows. */
    VACUUM,
    /** Refresh the planner's statistics. */
    ANALYZE
  }
}
