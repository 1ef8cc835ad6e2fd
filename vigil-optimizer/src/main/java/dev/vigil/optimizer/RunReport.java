package dev.vigil.optimizer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * What one run found and did.
 *
 * @param at when it ran
 * @param level the level it ran at
 * @param forced whether it ignored quiet windows
 * @param dryRun whether it changed nothing
 * @param items every proposal with what happened to it
 * @param problems tunings that could not look, one sentence each
 */
public record RunReport(@JsonProperty("at") Instant at, @JsonProperty("level") Level level,
    @JsonProperty("forced") boolean forced, @JsonProperty("dry_run") boolean dryRun,
    @JsonProperty("items") List<Item> items, @JsonProperty("problems") List<String> problems) {
  /** Validates the report. */
  public RunReport {
    items = List.copyOf(items);
    problems = List.copyOf(problems);
  }

  /**
   * One proposal in a run.
   *
   * @param proposal what was proposed
   * @param outcome what happened
   * @param note the level that would apply it, the reason it was skipped or the failure
   * @param actionId the action applied, or {@code null}
   */
  public record Item(@JsonProperty("proposal") Proposal proposal, @JsonProperty("outcome") Outcome outcome,
      @JsonProperty("note") String note, @JsonProperty("action_id") String actionId) {
  }

  /** What happened to a proposal. */
  public enum Outcome {
    /** Applied; now observed. */
    APPLIED,
    /** Needs a higher level than the run's (the note names it). */
    NEEDS_LEVEL,
    /** Would be applied, but this was a dry run. */
    DRY_RUN,
    /** Not now: a busy window, or it was rolled back before. */
    SKIPPED,
    /** Applied already. */
    ACTIVE,
    /** A finding to read, nothing to apply. */
    REPORTED,
    /** Applying failed (the note says why). */
    FAILED
  }
}
