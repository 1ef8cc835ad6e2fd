package dev.vigil.server.proxy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.vigil.logging.json.JsonRecordEncoders;
import dev.vigil.logging.file.SizeRotatingFileAppender;
import dev.vigil.logging.request.RequestRecord;
import dev.vigil.logging.setup.LoggingOptions;
import dev.vigil.proxy.AppProxy;
import dev.vigil.proxy.ProxyRequestRecord;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The application's request log: one record in the seed's request-log shape per proxied request, in
 * {@code <app>_app_requests.log} next to Vigil's own logs (rotated like them), separate from the
 * records of Vigil's own API.
 */
final class AppRequestLog implements Consumer<ProxyRequestRecord>, AutoCloseable {
  private final Logger logger;
  private final SizeRotatingFileAppender appender;
  private final double slowMs;

  private AppRequestLog(Logger logger, SizeRotatingFileAppender appender, double slowMs) {
    this.logger = logger;
    this.appender = appender;
    this.slowMs = slowMs;
  }

  /** The file a server with {@code options} writes application requests to. */
  static Path file(LoggingOptions options) {
    return options.logDir().resolve(options.appName() + "_app_requests.log");
  }

  /** Opens the file; when file logging is off, records are dropped. */
  static AppRequestLog open(LoggingOptions options, double slowMs) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger logger = context.getLogger(AppProxy.REQUEST_LOGGER);
    logger.setAdditive(false);
    if (!options.files()) {
      logger.setLevel(Level.OFF);
      return new AppRequestLog(logger, null, slowMs);
    }
    Path file = file(options);
    SizeRotatingFileAppender a = new SizeRotatingFileAppender(file, options.maxBytes(), options.backupCount(),
        JsonRecordEncoders.requests(context, options.zone()));
    a.setContext(context);
    a.start();
    if (!a.isStarted()) {
      throw new IllegalStateException("cannot open the application request log " + file.toAbsolutePath());
    }
    logger.detachAndStopAllAppenders();
    logger.addAppender(a);
    logger.setLevel(Level.INFO);
    return new AppRequestLog(logger, a, slowMs);
  }

  @Override
  public void accept(ProxyRequestRecord r) {
    if (appender == null) {
      return;
    }
    logger.info("{}", new RequestRecord(r.method(), r.path(), r.statusCode(), r.responseTimeMs(), r.userId(),
        r.ipAddress(), r.userAgent(), null, r.responseTimeMs() >= slowMs));
  }

  @Override
  public void close() {
    if (appender != null) {
      logger.detachAppender(appender);
      appender.stop();
    }
  }
}
