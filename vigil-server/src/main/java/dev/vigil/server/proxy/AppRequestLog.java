package dev.vigil.server.proxy;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import dev.vigil.logging.json.JsonRecordEncoders;
import dev.vigil.logging.file.SizeRotatingFileAppender;
import dev.vigil.logging.request.RequestRecord;
import dev.vigil.logging.setup.LoggingOptions;
import dev.vigil.proxy.AppProxy;
import dev.vigil.proxy.ProxyRequestRecord;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The application's request log: one record per proxied request in the request log's shape
 * ({@code timestamp, method, path, status_code, response_time_ms, …}), in
 * {@code <app>_app_requests.log} next to Vigil's own logs (rotated like them), separate from the records
 * of Vigil's own API.
 */
final class AppRequestLog implements Consumer<ProxyRequestRecord>, AutoCloseable {
  private final Logger logger;
  private final Appender<ILoggingEvent> appender;
  private final double slowMs;

  private AppRequestLog(Logger logger, Appender<ILoggingEvent> appender, double slowMs) {
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
    a.setBuffered(true);
    a.start();
    if (!a.isStarted()) {
      throw new IllegalStateException("cannot open the application request log " + file.toAbsolutePath());
    }
    // records are queued and written by one worker, in batches flushed whenever the queue runs dry;
    // a full queue makes the request wait (records are never dropped)
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("async-" + AppProxy.REQUEST_LOGGER);
    async.setQueueSize(8192);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(false);
    async.setIncludeCallerData(false);
    async.setMaxFlushTime(30_000);
    BatchWriter writer = new BatchWriter(a, () -> async.getNumberOfElementsInQueue() == 0);
    writer.setContext(context);
    writer.start();
    async.addAppender(writer);
    async.start();
    logger.detachAndStopAllAppenders();
    logger.addAppender(async);
    logger.setLevel(Level.INFO);
    return new AppRequestLog(logger, async, slowMs);
  }

  @Override
  public void accept(ProxyRequestRecord r) {
    if (appender == null) {
      return;
    }
    logger.info("{}", new RequestRecord(r.method(), r.path(), r.statusCode(), r.responseTimeMs(), r.userId(),
        r.ipAddress(), r.userAgent(), null, r.responseTimeMs() >= slowMs));
  }

  /** Writes each record to the file and flushes the batch when the queue feeding it is empty. */
  private static final class BatchWriter extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private final SizeRotatingFileAppender file;
    private final BooleanSupplier queueEmpty;

    BatchWriter(SizeRotatingFileAppender file, BooleanSupplier queueEmpty) {
      this.file = file;
      this.queueEmpty = queueEmpty;
      setName("app-requests-writer");
    }

    @Override
    protected void append(ILoggingEvent event) {
      file.doAppend(event);
      if (queueEmpty.getAsBoolean()) {
        file.flush();
      }
    }

    @Override
    public void stop() {
      super.stop();
      file.flush();
      file.stop();
    }
  }

  @Override
  public void close() {
    if (appender != null) {
      logger.detachAppender(appender);
      appender.stop();
    }
  }
}
