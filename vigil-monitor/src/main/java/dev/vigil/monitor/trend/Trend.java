package dev.vigil.monitor.trend;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;

/**
 * The direction of one metric over a window and, when it has a threshold, when it will cross it.
 *
 * @param metric the metric name
 * @param windowSeconds the window the line was fitted over
 * @param points how many history points were fitted
 * @param slopePerHour the least-squares slope in the metric's unit per hour, or null with too few points
 * @param current the fitted value now, or null with too few points
 * @param r2 the fit quality: how well the line fits (0–1; a direction or forecast needs at least
 *     {@link TrendAnalyzer#MIN_R2}), or null with too little data
 * @param threshold the threshold forecast against, or null
 * @param crossingAt the forecast time of crossing it, or null when it is not rising towards it within a
 *     year (or is already past it)
 * @param message a sentence, e.g. "disk / reaches 90% in about 3 days", "CPU: no clear trend (…)" or
 *     "RAM: not enough data for a trend (…)"
 */
@JsonPropertyOrder({"metric", "window_seconds", "points", "slope_per_hour", "current", "r2", "threshold", "crossing_at",
    "message"})
public record Trend(
    @JsonProperty("metric") String metric,
    @JsonProperty("window_seconds") long windowSeconds,
    @JsonProperty("points") int points,
    @JsonProperty("slope_per_hour") Double slopePerHour,
    @JsonProperty("current") Double current,
    @JsonProperty("r2") Double r2,
    @JsonProperty("threshold") @JsonInclude(JsonInclude.Include.NON_NULL) Double threshold,
    @JsonProperty("crossing_at") @JsonSerialize(using = ToStringSerializer.class) Instant crossingAt,
    @JsonProperty("message") String message) {
}
