package dev.vigil.cache.stats;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Calls of the loader (the level behind the caches).
 *
 * @param count loads that returned a value
 * @param failures loads that threw
 * @param totalTimeMs time spent in loads, milliseconds
 * @param averageTimeMs mean time of one load, milliseconds, two decimals
 * @param refreshes early refreshes of hot keys started before their expiry
 */
public record LoadStats(
    @JsonProperty("count") long count,
    @JsonProperty("failures") long failures,
    @JsonProperty("total_time_ms") double totalTimeMs,
    @JsonProperty("average_time_ms") double averageTimeMs,
    @JsonProperty("refreshes") long refreshes) {
}
