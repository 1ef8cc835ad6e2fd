package dev.vigil.optimizer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One change a {@link Tuning} suggests, with what it would take to apply it.
 *
 * @param key stable identity of the change (e.g. {@code db:erp:index:orders(customer_id)}), so the same
 *     finding on two runs is one proposal and a change already applied is not proposed again
 * @param family the kind of optimization
 * @param kind what sort of change, e.g. {@code create_index}
 * @param level the least level that applies it without asking
 * @param target what it changes, for people (e.g. {@code erp: orders(customer_id)})
 * @param reason why, with the figures that led to it
 * @param metric the metric it should improve, e.g. {@code mean_ms of 3 query shapes}
 * @param details facts for the report and for {@link Tuning#apply} (e.g. the statement)
 */
public record Proposal(@JsonProperty("key") String key, @JsonProperty("family") Family family,
    @JsonProperty("kind") String kind, @JsonProperty("level") Level level, @JsonProperty("target") String target,
    @JsonProperty("reason") String reason, @JsonProperty("metric") String metric,
    @JsonProperty("details") Map<String, Object> details) {
  /**
   * The detail naming the relative gain (0–1) this change must show to be kept, when it should prove
   * more than the optimizer's minimum effect (an index is built to cut a shape's time substantially,
   * not by a few percent that load alone can explain).
   */
  public static final String MIN_EFFECT = "min_effect";

  /**
   * The detail saying whether the change can be undone ({@code false} for ANALYZE or VACUUM: the
   * engine keeps no earlier state to go back to). Absent means reversible. An irreversible change the
   * measurements would roll back is left in place and recorded so ({@link ActionRecord.Status#LEFT_IN_PLACE}).
   */
  public static final String REVERSIBLE = "reversible";

  /** Validates the proposal and freezes its details. */
  public Proposal {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(metric, "metric");
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** Whether it can be undone ({@link #REVERSIBLE}). */
  public boolean reversible() {
    return !Boolean.FALSE.equals(details.get(REVERSIBLE));
  }

  /** Whether it only reports (a finding with nothing to apply, such as a leak trend). */
  public boolean reportOnly() {
    return level == Level.LOW;
  }
}
