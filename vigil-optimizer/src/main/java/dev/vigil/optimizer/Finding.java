package dev.vigil.optimizer;

import java.util.Map;

/**
 * A tuning whose proposals are findings for people (a leak trend, a runaway process, a quiet window, a
 * slow route's queries): it proposes at {@link Level#LOW} only, so the optimizer never applies, measures
 * or undoes them, and asking it to is an error that says what the finding is.
 */
public interface Finding extends Tuning {
  /** What the findings are, for those errors, e.g. {@code a leak trend}. */
  String what();

  @Override
  default Map<String, String> apply(Proposal proposal) {
    throw new UnsupportedOperationException(what() + " is a finding for people; the optimizer does not act on it");
  }

  @Override
  default void undo(Proposal proposal, Map<String, String> undo) {
    throw new UnsupportedOperationException(what() + " is a finding for people; nothing was applied");
  }

  @Override
  default Probe probe(Proposal proposal) {
    throw new UnsupportedOperationException(what() + " is a finding for people; nothing is measured after it");
  }
}
