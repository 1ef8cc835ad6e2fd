package dev.vigil.insight;

import java.util.List;

/**
 * Everything the advisor recommends for a database.
 *
 * @param database the configured database name
 * @param advice the recommendations, index creations first
 * @param notes what is missing or approximate (e.g. HypoPG not installed: suggestions not costed)
 */
public record AdviceReport(String database, List<Advice> advice, List<String> notes) {
  /** Copies the lists. */
  public AdviceReport {
    advice = List.copyOf(advice);
    notes = List.copyOf(notes);
  }

  /** The recommendations of one kind. */
  public List<Advice> of(Advice.Kind kind) {
    return advice.stream().filter(a -> a.kind() == kind).toList();
  }
}
