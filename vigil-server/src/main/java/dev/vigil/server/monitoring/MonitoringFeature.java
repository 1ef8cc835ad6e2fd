package dev.vigil.server.monitoring;

import dev.vigil.core.config.Setting;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.Health;
import dev.vigil.server.feature.ServerContext;
import java.util.List;

/**
 * Host monitoring: sampling, history in the store, {@code host_*} meters, the tracker of the API's own
 * requests, and {@code /api/monitoring/*}. Offers the {@link SystemMonitor} and {@link ServerMonitoring}
 * to later features.
 */
public final class MonitoringFeature implements Feature {
  /** How monitoring is turned on, as the "not enabled" answers say it. */
  public static final String HOW_TO_ENABLE = "ENABLE_MONITORING=true turns it on";

  @Override
  public String name() {
    return "monitoring";
  }

  @Override
  public List<Setting<?>> settings() {
    return MonitoringSettings.ALL;
  }

  @Override
  public void validate(VigilConfig config) {
    MonitoringSettings.checkThresholdOrder(config);
  }

  @Override
  public boolean enabled(VigilConfig config) {
    return config.get(MonitoringSettings.MONITORING_ENABLED);
  }

  @Override
  public String howToEnable() {
    return HOW_TO_ENABLE;
  }

  @Override
  public List<String> paths() {
    return List.of("/api/monitoring");
  }

  @Override
  public void start(ServerContext context) {
    ServerMonitoring monitoring = context.closeOnStop(
        ServerMonitoring.start(context.config(), context.store(), context.meters(), context.clock()));
    context.onRequest(monitoring::recordRequest);
    context.provide(ServerMonitoring.class, monitoring);
    context.provide(SystemMonitor.class, monitoring.monitor());
    context.health(name(), () -> Health.up("sampling the host"));
    MonitoringApi.register(context.routes(), monitoring, context.clock());
  }
}
