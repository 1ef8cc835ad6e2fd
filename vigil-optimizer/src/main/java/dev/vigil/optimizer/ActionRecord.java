package dev.vigil.optimizer;

import com.fasterxml.jackson.annotation.JsonProperty;
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
public record ActionRecord(@JsonProperty("id") String id, @JsonProperty("tuning") String tuning,
    @JsonProperty("proposal") Proposal proposal, @JsonProperty("status") Status status,
    @JsonProperty("actor") String actor, @JsonProperty("applied_at") Instant appliedAt,
    @JsonProperty("baseline_from") Instant baselineFrom, @JsonProperty("observe_until") Instant observeUntil,
    @JsonProperty("decided_at") Instant decidedAt, @JsonProperty("before") Double before,
    @JsonProperty("after") Double after, @JsonProperty("confidence") Double confidence,
    @JsonProperty("decision") String decision, @JsonProperty("undo") Map<String, String> undo) {

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
    /**
     * Measured without a gain (or worse) but it cannot be undone (ANALYZE, VACUUM): left as it is; the
     * decision says what the measurements showed.
     */
    LEFT_IN_PLACE,
    /** Reverted by a person. */
    ROLLED_BACK_MANUALLY,
    /** Could not be applied, or was interrupted and cleaned up. */
    FAILED
  }
}
