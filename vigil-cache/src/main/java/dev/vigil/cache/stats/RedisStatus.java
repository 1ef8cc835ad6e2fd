package dev.vigil.cache.stats;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The state of the Redis level as seen by this node.
 *
 * @param state {@code up}, {@code down} or {@code not_configured}
 * @param mode {@code standalone}, {@code sentinel}, {@code cluster} or {@code none}
 * @param l1Trusted whether the invalidation channel is verified, so the in-process level may answer reads
 * @param outages times Redis became unreachable since start
 * @param invalidationLosses times the invalidation channel dropped and the in-process level was suspended
 * @param pendingInvalidations writes and deletes made while Redis was down, replayed when it returns
 * @param invalidationsSent invalidation messages this node published
 * @param invalidationsReceived invalidation messages from other nodes this node applied
 */
public record RedisStatus(
    @JsonProperty("state") String state,
    @JsonProperty("mode") String mode,
    @JsonProperty("l1_trusted") boolean l1Trusted,
    @JsonProperty("outages") long outages,
    @JsonProperty("invalidation_losses") long invalidationLosses,
    @JsonProperty("pending_invalidations") long pendingInvalidations,
    @JsonProperty("invalidations_sent") long invalidationsSent,
    @JsonProperty("invalidations_received") long invalidationsReceived) {
}
