package dev.vigil.server.logging;

import dev.vigil.core.config.VigilConfig;
import dev.vigil.logging.LogLevel;
import dev.vigil.logging.request.RequestLog;
import dev.vigil.logging.setup.ConfiguredLogging;
import dev.vigil.logging.setup.LoggingOptions;
import dev.vigil.server.auth.TokenInfo;
import dev.vigil.server.http.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;

/** How the server logs: its logging options from the config, its request-log hook and its meters. */
public final class ServerLogging {
  /** The app name of the server's log files: {@code vigil.log}, {@code vigil_errors.log}, … */
  public static final String APP_NAME = "vigil";

  private ServerLogging() {
  }

  /** The server's logging options from the {@code logging.*} settings (LOG_DIR, LOG_LEVEL, …). */
  public static LoggingOptions options(VigilConfig config) {
    return LoggingOptions.defaults(APP_NAME)
        .withLogDir(Path.of(config.get(LoggingSettings.LOG_DIR)))
        .withLevel(LogLevel.parse(config.get(LoggingSettings.LOG_LEVEL)))
        .withJson(config.get(LoggingSettings.LOG_JSON))
        .withMaxBytes(config.get(LoggingSettings.LOG_MAX_BYTES))
        .withBackupCount(config.get(LoggingSettings.LOG_BACKUP_COUNT))
        .withConsole(config.get(LoggingSettings.LOG_CONSOLE))
        .withFiles(config.get(LoggingSettings.LOG_FILES));
  }

  /**
   * The request hook writing one request record per answered request (denials included): method,
   * path (without the query, which may hold secrets), status, time, the caller's token id as
   * {@code user_id}, client address, user agent and request id.
   */
  public static HttpServer.RequestListener requestListener(RequestLog requests) {
    return (ctx, millis) -> {
      TokenInfo caller = HttpServer.caller(ctx);
      requests.log(ctx.method().name(), ctx.path(), ctx.statusCode(), Math.max(0, millis),
          caller == null ? null : caller.id(), ctx.ip(), ctx.userAgent(), HttpServer.requestId(ctx));
    };
  }

  /** Exposes the records dropped by the async queue as {@code vigil_logging_dropped_events_total}. */
  public static void bindMetrics(ConfiguredLogging logging, MeterRegistry registry) {
    FunctionCounter.builder("vigil.logging.dropped.events", logging, ConfiguredLogging::droppedEvents)
        .description("DEBUG/INFO log records dropped because the async log queue was nearly full")
        .register(registry);
  }
}
