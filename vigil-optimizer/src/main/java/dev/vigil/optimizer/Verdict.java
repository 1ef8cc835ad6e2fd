package dev.vigil.optimizer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * What the measurements say about an applied change.
 *
 * @param decision keep, roll back, or wait for more samples
 * @param confidence how sure (1 − p of the deciding test), 0 when waiting
 * @param before the target metric's median in the baseline window
 * @param after its median in the observation window so far
 * @param reason one sentence with the figures
 */
public record Verdict(@JsonProperty("decision") Decision decision, @JsonProperty("confidence") double confidence,
    @JsonProperty("before") double before, @JsonProperty("after") double after, @JsonProperty("reason") String reason) {
  /** What to do with an applied change. */
  public enum Decision {
    /** It made the target better and harmed nothing watched. */
    KEEP,
    /** It made things worse, or showed no gain by the end of its observation window. */
    ROLLBACK,
    /** Not enough evidence yet. */
    WAIT
  }

  /** Validates the verdict. */
  public Verdict {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(reason, "reason");
  }
}
