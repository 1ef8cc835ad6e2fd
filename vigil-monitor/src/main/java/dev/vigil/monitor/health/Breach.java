package dev.vigil.monitor.health;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One crossed threshold.
 *
 * @param metric the metric name, e.g. {@code cpu_percent} or {@code disk_percent:/var}
 * @param value the value that crossed it
 * @param threshold the threshold crossed
 * @param level {@code warning} or {@code critical}
 * @param message the sentence shown in {@code warnings}
 */
public record Breach(
    @JsonProperty("metric") String metric,
    @JsonProperty("value") double value,
    @JsonProperty("threshold") double threshold,
    @JsonProperty("level") HealthLevel level,
    @JsonProperty("message") String message) {
}
