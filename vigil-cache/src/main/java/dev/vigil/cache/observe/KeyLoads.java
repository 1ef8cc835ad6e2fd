package dev.vigil.cache.observe;

import java.time.Instant;

/**
 * What the cache saw of one key's loads since it started watching it.
 *
 * @param key the key
 * @param namespace the part before its first colon ({@code default} when none)
 * @param loads loader calls
 * @param reloadsAfterExpiry loads by a reader shortly after the previous value expired (within the
 *     watch's reload window)
 * @param unchanged reloads (after expiry or ahead of it) that returned the value already cached
 * @param changed reloads that returned a different value: the cached one had gone stale at the source
 * @param ttlMillis the TTL of the latest value
 * @param lastLoad when it was last loaded
 * @param meanLoadMillis mean loader time
 * @param warmed whether it is being refreshed ahead of expiry
 */
public record KeyLoads(String key, String namespace, long loads, long reloadsAfterExpiry, long unchanged, long changed,
    long ttlMillis, Instant lastLoad, double meanLoadMillis, boolean warmed) {
}
