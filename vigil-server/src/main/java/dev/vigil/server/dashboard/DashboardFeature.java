package dev.vigil.server.dashboard;

import dev.vigil.monitor.SystemMonitor;
import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.ServerContext;
import dev.vigil.server.monitoring.MonitoringFeature;

/**
 * What the dashboard needs beyond the other features' routes: who the caller is ({@code /api/whoami})
 * and the live sample stream ({@code /api/stream}). Its static files are served at {@code /} by the
 * HTTP server ({@link DashboardFiles}).
 */
public final class DashboardFeature implements Feature {
  @Override
  public String name() {
    return "dashboard";
  }

  @Override
  public void start(ServerContext context) {
    WhoAmIApi.register(context.routes());
    StreamApi.register(context.routes(), context.find(SystemMonitor.class), MonitoringFeature.HOW_TO_ENABLE,
        context.clock());
  }
}
