package dev.vigil.monitor.apm;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Timing statistics of one tracked name (a query shape, an operation or an HTTP route).
 *
 * @param name what was timed
 * @param count calls since start
 * @param errors calls that failed since start
 * @param slow calls slower than the slow threshold since start
 * @param meanMs mean duration since start, milliseconds
 * @param recentCount calls in the recent window
 * @param recentErrors failed calls in the recent window
 * @param errorRate {@code recentErrors / recentCount} (0 without recent calls)
 * @param p50Ms median duration in the recent window, milliseconds
 * @param p95Ms 95th percentile in the recent window
 * @param p99Ms 99th percentile in the recent window
 * @param maxMs longest duration in the recent window
 * @param windowSeconds the length of the recent window
 */
@JsonPropertyOrder({"name", "count", "errors", "slow", "mean_ms", "recent_count", "recent_errors", "error_rate",
    "p50_ms", "p95_ms", "p99_ms", "max_ms", "window_seconds"})
public record LatencyStats(
    @JsonProperty("name") String name,
    @JsonProperty("count") long count,
    @JsonProperty("errors") long errors,
    @JsonProperty("slow") long slow,
    @JsonProperty("mean_ms") double meanMs,
    @JsonProperty("recent_count") long recentCount,
    @JsonProperty("recent_errors") long recentErrors,
    @JsonProperty("error_rate") double errorRate,
    @JsonProperty("p50_ms") double p50Ms,
    @JsonProperty("p95_ms") double p95Ms,
    @JsonProperty("p99_ms") double p99Ms,
    @JsonProperty("max_ms") double maxMs,
    @JsonProperty("window_seconds") long windowSeconds) {
}
