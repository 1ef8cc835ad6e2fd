package dev.vigil.monitor.history;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;

/**
 * One step of a history: the readings whose time falls in {@code [time, time + step)}.
 *
 * @param time start of the step, ISO-8601 UTC
 * @param min smallest value
 * @param avg mean value
 * @param max largest value
 * @param count how many readings it covers
 */
@JsonPropertyOrder({"time", "min", "avg", "max", "count"})
public record HistoryPoint(
    @JsonProperty("time") @JsonSerialize(using = ToStringSerializer.class) Instant time,
    @JsonProperty("min") double min,
    @JsonProperty("avg") double avg,
    @JsonProperty("max") double max,
    @JsonProperty("count") long count) {
}
