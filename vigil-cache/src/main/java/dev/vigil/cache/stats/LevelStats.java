package dev.vigil.cache.stats;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Counters of one cache level ({@code l1} in-process, {@code l2} Redis).
 *
 * @param hits reads this level answered
 * @param misses reads this level was asked and could not answer
 * @param hitRate hits as a percentage of this level's reads, two decimals
 * @param keys entries held by this level now (-1 when it cannot be counted, e.g. Redis unreachable)
 * @param evictions entries this level dropped for size or expiry (in-process level only; Redis does not report it per prefix)
 */
public record LevelStats(
    @JsonProperty("hits") long hits,
    @JsonProperty("misses") long misses,
    @JsonProperty("hit_rate") double hitRate,
    @JsonProperty("keys") long keys,
    @JsonProperty("evictions") long evictions) {
}
