package dev.vigil.server.metrics;

import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Api;

/** {@code GET /metrics}: the Prometheus scrape endpoint, readable with any viewer token. */
final class MetricsApi {
  private MetricsApi() {
  }

  /** Adds the route. */
  static void register(Api api, Metrics metrics) {
    api.get("/metrics", Role.VIEWER, "Prometheus text format of host, JVM, HTTP and module metrics",
        ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
  }
}
