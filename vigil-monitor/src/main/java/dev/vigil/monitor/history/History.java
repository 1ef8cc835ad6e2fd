package dev.vigil.monitor.history;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.List;

/**
 * The answer to a history query.
 *
 * @param metric the metric asked for
 * @param tier where it came from: {@code raw} (the in-memory ring), {@code 1m} or {@code 1h} roll-ups
 * @param stepSeconds the step actually used: the one asked for, raised to the tier's resolution
 * @param from start of the range, ISO-8601 UTC
 * @param to end of the range (exclusive), ISO-8601 UTC
 * @param points one point per step that has readings, oldest first
 */
@JsonPropertyOrder({"metric", "tier", "step_seconds", "from", "to", "points"})
public record History(
    @JsonProperty("metric") String metric,
    @JsonProperty("tier") Tier tier,
    @JsonProperty("step_seconds") long stepSeconds,
    @JsonProperty("from") @JsonSerialize(using = ToStringSerializer.class) Instant from,
    @JsonProperty("to") @JsonSerialize(using = ToStringSerializer.class) Instant to,
    @JsonProperty("points") List<HistoryPoint> points) {

  /** Copies the points. */
  public History {
    points = List.copyOf(points);
  }
}
