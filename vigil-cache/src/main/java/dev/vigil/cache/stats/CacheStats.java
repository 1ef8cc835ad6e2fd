package dev.vigil.cache.stats;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of a cache's counters in the documented shape ({@code cache_type, total_keys, hits, misses,
 * total_requests, hit_rate}) followed by Vigil's detail. Serializes with a plain Jackson
 * {@code ObjectMapper} to exactly these snake_case keys.
 *
 * @param cacheType what answers reads now: {@code in_memory}, {@code redis} or {@code two_level}
 *     ({@code in_memory} while a Redis-backed cache is degraded)
 * @param totalKeys keys held by the authoritative level (Redis when up, else the in-process level)
 * @param hits reads answered by a cache level
 * @param misses reads no cache level could answer
 * @param totalRequests hits plus misses
 * @param hitRate hits as a percentage of requests, two decimals
 * @param degraded true while a configured Redis is unreachable and the cache runs from memory
 * @param levels per level: {@code l1} and, when Redis is configured, {@code l2}
 * @param namespaces per namespace (key part before the first colon)
 * @param loads loader calls
 * @param evictions entries dropped by the in-process level for size or expiry
 * @param redis the Redis level's state
 */
@JsonPropertyOrder({"cache_type", "total_keys", "hits", "misses", "total_requests", "hit_rate", "degraded",
    "levels", "namespaces", "loads", "evictions", "redis"})
public record CacheStats(
    @JsonProperty("cache_type") String cacheType,
    @JsonProperty("total_keys") long totalKeys,
    @JsonProperty("hits") long hits,
    @JsonProperty("misses") long misses,
    @JsonProperty("total_requests") long totalRequests,
    @JsonProperty("hit_rate") double hitRate,
    @JsonProperty("degraded") boolean degraded,
    @JsonProperty("levels") Map<String, LevelStats> levels,
    @JsonProperty("namespaces") Map<String, NamespaceStats> namespaces,
    @JsonProperty("loads") LoadStats loads,
    @JsonProperty("evictions") long evictions,
    @JsonProperty("redis") RedisStatus redis) {

  /** Copies the maps (sorted by name) so a snapshot never changes. */
  public CacheStats {
    levels = Collections.unmodifiableMap(new TreeMap<>(levels));
    namespaces = Collections.unmodifiableMap(new TreeMap<>(namespaces));
  }
}
