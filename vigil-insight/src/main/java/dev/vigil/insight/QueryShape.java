package dev.vigil.insight;

/**
 * One normalized statement (constants replaced by placeholders) and what it cost in a window.
 *
 * @param shapeId stable id: PostgreSQL's {@code queryid}, MariaDB/MySQL's digest
 * @param query the normalized text
 * @param calls executions
 * @param totalMs total execution time in milliseconds
 * @param meanMs mean execution time per call in milliseconds
 * @param rows rows returned or affected
 * @param cacheHits blocks found in the database's cache ({@code 0} where the engine does not say)
 * @param cacheReads blocks read from outside the cache
 * @param slow whether the shape is slow by PgHero's rule (mean and calls at or above the thresholds)
 */
public record QueryShape(String shapeId, String query, long calls, double totalMs, double meanMs, long rows,
    long cacheHits, long cacheReads, boolean slow) {
}
