package dev.vigil.monitor.host;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The run-queue load averages over one, five and fifteen minutes, as {@code /proc/loadavg} shows them.
 *
 * @param oneMinute load over the last minute
 * @param fiveMinutes load over the last five minutes
 * @param fifteenMinutes load over the last fifteen minutes
 */
public record LoadAverage(
    @JsonProperty("1m") double oneMinute,
    @JsonProperty("5m") double fiveMinutes,
    @JsonProperty("15m") double fifteenMinutes) {
}
