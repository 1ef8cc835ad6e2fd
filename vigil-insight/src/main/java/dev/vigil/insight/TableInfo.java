package dev.vigil.insight;

import java.time.Instant;

/**
 * One table's size, health and activity.
 *
 * @param schema schema
 * @param name table name
 * @param totalBytes table, indexes and TOAST
 * @param tableBytes the table alone
 * @param indexBytes its indexes
 * @param liveRows estimated live rows
 * @param deadRows dead rows not yet vacuumed ({@code -1} when unknown)
 * @param bloatBytes estimated wasted space in the table
 * @param bloated whether the waste is large enough to act on
 * @param lastVacuum last manual VACUUM, or {@code null}
 * @param lastAutovacuum last autovacuum, or {@code null}
 * @param lastAnalyze last manual ANALYZE, or {@code null}
 * @param lastAutoanalyze last autoanalyze, or {@code null}
 * @param modificationsSinceAnalyze rows changed since the statistics were gathered ({@code -1} when unknown)
 * @param staleStatistics many modifications since the last analyze
 * @param seqScans sequential scans ({@code -1} when unknown)
 * @param seqRowsRead rows read by sequential scans
 * @param indexScans index scans
 * @param seqScanHeavy a large table read mostly by sequential scans
 * @param insertsPerSecond rows inserted per second (over the last day of snapshots, else since the statistics reset)
 * @param updatesPerSecond rows updated per second
 * @param deletesPerSecond rows deleted per second
 */
public record TableInfo(String schema, String name, long totalBytes, long tableBytes, long indexBytes, long liveRows,
    long deadRows, long bloatBytes, boolean bloated, Instant lastVacuum, Instant lastAutovacuum, Instant lastAnalyze,
    Instant lastAutoanalyze, long modificationsSinceAnalyze, boolean staleStatistics, long seqScans, long seqRowsRead,
    long indexScans, boolean seqScanHeavy, double insertsPerSecond, double updatesPerSecond,
    double deletesPerSecond) {

  /** {@code schema.name}. */
  public String qualifiedName() {
    return schema + "." + name;
  }
}
