package dev.vigil.alert.report;

import java.util.List;

/**
 * What one section of the weekly report shows: a table, and a note (why it is empty, or what it
 * covers).
 *
 * @param headers column titles
 * @param rows the rows, each as many cells as there are headers
 * @param note a sentence shown above the table (or alone when there are no rows), or {@code null}
 */
public record ReportTable(List<String> headers, List<List<String>> rows, String note) {
  /** Copies the lists. */
  public ReportTable {
    headers = List.copyOf(headers);
    rows = rows.stream().map(List::copyOf).toList();
  }

  /** A section with nothing to show but {@code note}. */
  public static ReportTable note(String note) {
    return new ReportTable(List.of(), List.of(), note);
  }
}
