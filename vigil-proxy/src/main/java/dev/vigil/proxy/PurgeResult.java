package dev.vigil.proxy;

/**
 * What a purge removed.
 *
 * @param by what was purged by: {@code prefix}, {@code tag}, {@code route} or {@code all}
 * @param value the prefix, tag or route template purged
 * @param removed cached responses removed (on every node sharing the cache)
 */
public record PurgeResult(String by, String value, long removed) {
}
