package dev.vigil.backup.engine;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a dump produced besides its bytes.
 *
 * @param rowCounts rows per table, seen in the same snapshot as the dump
 * @param wroteDirect whether the engine wrote {@link DumpSink#directFile()} instead of the stream
 */
public record DumpResult(SortedMap<String, Long> rowCounts, boolean wroteDirect) {
  /** Copies the counts. */
  public DumpResult {
    rowCounts = new TreeMap<>(rowCounts);
  }

  /** A result from a map of counts. */
  public static DumpResult of(Map<String, Long> counts, boolean wroteDirect) {
    return new DumpResult(new TreeMap<>(counts), wroteDirect);
  }
}
