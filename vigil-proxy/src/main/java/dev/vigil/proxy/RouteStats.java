package dev.vigil.proxy;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Traffic of one route template since the proxy started (percentiles over the last few minutes).
 *
 * @param route the template, e.g. {@code /api/projects/{id}}, or {@value ProxyConfig#OTHER_ROUTE}
 * @param count requests answered
 * @param errors answers with a 5xx status (from the upstream or the proxy)
 * @param errorRate errors / count (0 when there was none)
 * @param p50Ms median latency in ms
 * @param p95Ms 95th percentile latency in ms
 * @param p99Ms 99th percentile latency in ms
 * @param bytes response bytes sent to clients
 * @param cacheHits answers served from the cache (fresh or stale)
 * @param cacheMisses cacheable requests that went to the upstream
 * @param cacheHitRate hits / (hits + misses) (0 when the route is not cached)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RouteStats(String route, long count, long errors, double errorRate, double p50Ms, double p95Ms,
    double p99Ms, long bytes, long cacheHits, long cacheMisses, double cacheHitRate) {
}
