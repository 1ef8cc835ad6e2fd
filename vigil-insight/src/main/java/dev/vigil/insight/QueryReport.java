package dev.vigil.insight;

import java.time.Instant;
import java.util.List;

/**
 * Query shapes over a window.
 *
 * @param database the configured database name
 * @param from start of the window
 * @param to end of the window (now)
 * @param snapshots how many snapshot intervals ended inside the window (0: nothing measured yet)
 * @param sort the order of {@code shapes}
 * @param shapes the shapes, largest first
 * @param notes what is missing or approximate, in plain words
 */
public record QueryReport(String database, Instant from, Instant to, int snapshots, QuerySort sort,
    List<QueryShape> shapes, List<String> notes) {
  /** Copies the lists. */
  public QueryReport {
    shapes = List.copyOf(shapes);
    notes = List.copyOf(notes);
  }
}
