package dev.vigil.server.metrics;

import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.ServerContext;

/** {@code /metrics} in the Prometheus text format, and the meters of every request the API answers. */
public final class MetricsFeature implements Feature {
  @Override
  public String name() {
    return "metrics";
  }

  @Override
  public void start(ServerContext context) {
    Metrics metrics = context.find(Metrics.class)
        .orElseThrow(() -> new IllegalStateException("the meter registry is made by the server before its features"));
    context.onRequest(metrics::recordRequest);
    MetricsApi.register(context.routes(), metrics);
  }
}
