package dev.vigil.optimizer;

import java.util.Map;

/**
 * What the optimizer asks of the program around it: an audit record per action, a recovery
 * checkpoint before anything at {@link Level#AGGRESSIVE}, and whether now is a busy window.
 */
public interface OptimizerHooks {
  /**
   * Records an optimizer action in the audit trail.
   *
   * @param action e.g. {@code optimizer.apply}, {@code optimizer.rollback}
   * @param resource the action id and target
   * @param outcome {@code success} or {@code failure}
   * @param facts before/after figures, decision, reason
   */
  void audit(String action, String resource, String outcome, Map<String, Object> facts);

  /**
   * Takes a recovery checkpoint before aggressive changes.
   *
   * @throws Exception when it cannot; the aggressive changes of that run are then not applied
   */
  void checkpoint(String label) throws Exception;

  /** Whether the host is busy now (heavy changes wait for a quiet window unless forced). */
  boolean busy();
}
