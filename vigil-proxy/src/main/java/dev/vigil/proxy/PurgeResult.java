package dev.vigil.proxy;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What a purge removed.
 *
 * @param by what was purged by: {@code prefix}, {@code tag}, {@code route} or {@code all}
 * @param value the prefix, tag or route template purged
 * @param removed cached responses removed (on every node sharing the cache)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PurgeResult(String by, String value, long removed) {
}
