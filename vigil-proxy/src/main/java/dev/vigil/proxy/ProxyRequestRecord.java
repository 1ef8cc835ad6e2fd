package dev.vigil.proxy;

import java.time.Instant;

/**
 * One proxied request in the request-log shape ({@code timestamp, method, path, status_code,
 * response_time_ms, user_id, ip_address, user_agent}) plus the route template and cache outcome.
 *
 * @param timestamp when the answer completed
 * @param method HTTP method
 * @param path request path (no query), capped at 2048 characters
 * @param statusCode status answered
 * @param responseTimeMs time to answer in ms
 * @param userId the user the upstream named in the configured user-id header, or null
 * @param ipAddress client address (from X-Forwarded-For only behind a trusted proxy)
 * @param userAgent User-Agent, capped at 512 characters, or null
 * @param route route template
 * @param cache cache outcome: HIT, MISS, STALE, REVALIDATED, STALE-IF-ERROR, BYPASS or null
 */
public record ProxyRequestRecord(Instant timestamp, String method, String path, int statusCode,
    double responseTimeMs, String userId, String ipAddress, String userAgent, String route, String cache) {
}
