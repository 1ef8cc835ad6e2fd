package dev.vigil.server.proxy;

import dev.vigil.logging.request.RequestRecord;
import dev.vigil.logging.setup.LoggingOptions;
import dev.vigil.logging.setup.LoggingSetup;
import dev.vigil.proxy.AppProxy;
import dev.vigil.proxy.ProxyRequestRecord;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's request log: one record per proxied request in the request log's shape
 * ({@code timestamp, method, path, status_code, response_time_ms, …}), in
 * {@code <app>_app_requests.log} next to Vigil's own logs (rotated like them), separate from the records
 * of Vigil's own API.
 */
final class AppRequestLog implements Consumer<ProxyRequestRecord>, AutoCloseable {
  private final AutoCloseable file;
  private final Logger logger;
  private final double slowMs;

  private AppRequestLog(AutoCloseable file, double slowMs) {
    this.file = file;
    this.logger = LoggerFactory.getLogger(AppProxy.REQUEST_LOGGER);
    this.slowMs = slowMs;
  }

  /** The file a server with {@code options} writes application requests to. */
  static Path file(LoggingOptions options) {
    return options.logDir().resolve(options.appName() + "_app_requests.log");
  }

  /** Opens the file; when file logging is off, records are dropped. */
  static AppRequestLog open(LoggingOptions options, double slowMs) {
    if (!options.files()) {
      return new AppRequestLog(null, slowMs);
    }
    return new AppRequestLog(LoggingSetup.separateRequestFile(options, AppProxy.REQUEST_LOGGER, file(options)), slowMs);
  }

  @Override
  public void accept(ProxyRequestRecord r) {
    if (file == null) {
      return;
    }
    logger.info("{}", new RequestRecord(r.method(), r.path(), r.statusCode(), r.responseTimeMs(), r.userId(),
        r.ipAddress(), r.userAgent(), null, r.responseTimeMs() >= slowMs));
  }

  @Override
  public void close() throws Exception {
    if (file != null) {
      file.close();
    }
  }
}
