package dev.vigil.server.dashboard;

import dev.vigil.core.config.Setting;
import dev.vigil.core.config.ValueParser;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.server.auth.Authenticator;
import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.ServerContext;
import dev.vigil.server.monitoring.MonitoringFeature;
import java.util.List;

/**
 * What the dashboard needs beyond the other features' routes: who the caller is ({@code /api/whoami})
 * and the live sample stream ({@code /api/stream}). Its static files are served at {@code /} by the
 * HTTP server ({@link DashboardFiles}).
 */
public final class DashboardFeature implements Feature {
  /** Event streams ({@code /api/stream}) open at once on the server; more get 429. */
  public static final Setting<Integer> MAX_STREAMS = Setting.of("server.stream.max_total",
      ValueParser.integer(1, 100_000), "4096", "event streams (/api/stream) open at once; more get 429");
  /** Event streams open at once per token; more get 429. */
  public static final Setting<Integer> MAX_STREAMS_PER_TOKEN = Setting.of("server.stream.max_per_token",
      ValueParser.integer(1, 100_000), "16", "event streams (/api/stream) open at once per API token; more get 429");

  @Override
  public String name() {
    return "dashboard";
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(MAX_STREAMS, MAX_STREAMS_PER_TOKEN);
  }

  @Override
  public void start(ServerContext context) {
    WhoAmIApi.register(context.routes());
    Authenticator authenticator = context.find(Authenticator.class)
        .orElseThrow(() -> new IllegalStateException("the authenticator is provided by the server before its features"));
    context.closeOnStop(StreamApi.register(context.routes(), context.find(SystemMonitor.class),
        MonitoringFeature.HOW_TO_ENABLE, context.clock(), context.config().get(MAX_STREAMS),
        context.config().get(MAX_STREAMS_PER_TOKEN), authenticator::onRevoked));
  }
}
