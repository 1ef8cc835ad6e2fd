package dev.vigil.optimizer;

import java.time.Instant;
import java.util.Map;

/**
 * One applied change as the history keeps it.
 *
 * @param id action id (for {@code rollback ID})
 * @param tuning the tuning that applied it
 * @param proposal what was applied
 * @param status {@link Status}
 * @param actor who applied it ({@code job:optimizer}, an API token, {@code cli:<user>})
 * @param appliedAt when it was applied
 * @param baselineFrom start of the baseline window (it ends at {@code appliedAt})
 * @param observeUntil end of the observation window
 * @param decidedAt when it was kept or rolled back, else {@code null}
 * @param before the target metric's median before, when measured
 * @param after the target metric's median after, when measured
 * @param confidence the decision's confidence (0–1), when decided by measurement
 * @param decision the reason of the last decision, or {@code null}
 * @param undo what reverting it needs
 */
public record ActionRecord(String id, String tuning, Proposal proposal, Status status, String actor, Instant appliedAt,
    Instant baselineFrom, Instant observeUntil, Instant decidedAt, Double before, Double after, Double confidence,
    String decision, Map<String, String> undo) {

  /** Where an action is in its life. */
  public enum Status {
    /** Being applied (an action left here by a crash is cleaned up on the next start). */
    APPLYING,
    /** Applied; its effect is being measured. */
    OBSERVING,
    /** Measured better and kept. */
    KEPT,
    /** Reverted automatically: worse, harmful, or no gain shown. */
    ROLLED_BACK,
    /** Reverted by a person. */
    ROLLED_BACK_MANUALLY,
    /** Could not be applied, or was interrupted and cleaned up. */
    FAILED
  }
}
