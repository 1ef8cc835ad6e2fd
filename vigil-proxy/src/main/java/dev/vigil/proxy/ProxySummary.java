package dev.vigil.proxy;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/**
 * The proxy at a glance.
 *
 * @param upstream the upstream URL
 * @param listen the address clients connect to ({@code host:port})
 * @param upstreamUp whether the upstream is considered up (active checks and passive failure counting)
 * @param consecutiveFailures failures since the last success
 * @param lastCheck when the upstream was last checked or used, or null
 * @param lastError the last failure, or null
 * @param requests requests answered
 * @param errors 5xx answers
 * @param errorRate errors / requests
 * @param cacheHits answers from the cache
 * @param cacheMisses cacheable requests that went upstream
 * @param cacheHitRate hits / (hits + misses)
 * @param staleServed stale copies served (while revalidating or because the upstream failed)
 * @param concurrencyLimit the adaptive limit of requests in flight to the upstream
 * @param inFlight requests in flight to the upstream now
 * @param rejected requests refused with 503 (over the concurrency limit) or 429 (over a client's rate)
 * @param webSockets WebSocket tunnels open now
 * @param cacheRules the cache rules in force: configured ones, then those added at run time (by the optimizer)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ProxySummary(String upstream, String listen, boolean upstreamUp, int consecutiveFailures,
    Instant lastCheck, String lastError, long requests, long errors, double errorRate, long cacheHits,
    long cacheMisses, double cacheHitRate, long staleServed, int concurrencyLimit, int inFlight, long rejected,
    int webSockets, List<CacheRuleInfo> cacheRules) {
  /** Copies the rules. */
  public ProxySummary {
    cacheRules = List.copyOf(cacheRules);
  }
}
