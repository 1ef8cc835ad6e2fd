package dev.vigil.server.logging;

import dev.vigil.core.config.Setting;
import dev.vigil.logging.request.RequestLog;
import dev.vigil.logging.setup.ConfiguredLogging;
import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.ServerContext;
import java.util.List;

/**
 * The server's logs as a feature: a request record for every answered request, the meters of the log
 * files (dropped records), and {@code /api/logs/recent}. Logback itself is configured before anything
 * else starts (so start-up is logged) and offered as {@link ConfiguredLogging}.
 */
public final class LoggingFeature implements Feature {
  @Override
  public String name() {
    return "logging";
  }

  @Override
  public List<Setting<?>> settings() {
    return LoggingSettings.ALL;
  }

  @Override
  public void start(ServerContext context) {
    ConfiguredLogging logging = context.find(ConfiguredLogging.class)
        .orElseThrow(() -> new IllegalStateException("logging is configured by the server before its features"));
    context.onRequest(ServerLogging.requestListener(new RequestLog(context.config().get(LoggingSettings.LOG_SLOW_REQUEST))));
    ServerLogging.bindMetrics(logging, context.meters());
    LogsApi.register(context.routes(), logging.files());
  }
}
