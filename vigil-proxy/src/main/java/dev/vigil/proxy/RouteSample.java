package dev.vigil.proxy;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * One sampled request of a route (at most a few per second per route are kept), for measuring a change
 * such as a cache rule against the route's recent past.
 *
 * @param at when the answer completed
 * @param method GET, HEAD or OTHER
 * @param status status answered
 * @param ms time to answer through the proxy, in ms
 * @param cache cache outcome (HIT, MISS, STALE, REVALIDATED, STALE-IF-ERROR, BYPASS) or null when no rule applied
 * @param answerChanged whether the body differed from the previous sampled answer to the same URL (a body
 *     checksum); null when unknown (first answer to the URL, HEAD, an error or a body over the cache's limit)
 * @param credentials whether the request carried {@code Authorization} or {@code Cookie}
 * @param personal whether the answer was marked personal: {@code Set-Cookie}, {@code Cache-Control} private,
 *     no-store or no-cache, or {@code Vary} on {@code Cookie}, {@code Authorization} or {@code *}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RouteSample(Instant at, String method, int status, double ms, String cache, Boolean answerChanged,
    boolean credentials, boolean personal) {

  /** Whether it was answered from the cache (fresh, stale or revalidated). */
  public boolean fromCache() {
    return cache != null && !cache.equals("MISS") && !cache.equals("BYPASS");
  }
}
