package dev.vigil.cache.stats;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Reads of one namespace: the part of the key before its first {@code ':'} ({@code user:42} belongs to
 * {@code user}; a key without a colon to {@code default}).
 *
 * @param hits reads answered by any level
 * @param misses reads no level could answer
 * @param totalRequests hits plus misses
 * @param hitRate hits as a percentage, two decimals
 */
public record NamespaceStats(
    @JsonProperty("hits") long hits,
    @JsonProperty("misses") long misses,
    @JsonProperty("total_requests") long totalRequests,
    @JsonProperty("hit_rate") double hitRate) {
}
