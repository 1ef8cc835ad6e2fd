package dev.vigil.logging.request;

import dev.vigil.logging.LogFields;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The seed's {@code log_request}: writes one record per HTTP request to {@code <app>_requests.log}
 * (through the {@value #LOGGER_NAME} logger, which {@code LoggingSetup} routes to that file only and
 * never drops). Requests that took at least the slow threshold are flagged {@code "slow": true}.
 */
public final class RequestLog {
  /** The logger request records go through. */
  public static final String LOGGER_NAME = "vigil.requests";
  /** The slow threshold callers use unless configured otherwise. */
  public static final Duration DEFAULT_SLOW_THRESHOLD = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

  private final double slowMs;

  /**
   * Creates a request log.
   *
   * @param slowThreshold requests taking at least this long are flagged slow
   */
  public RequestLog(Duration slowThreshold) {
    if (slowThreshold.isNegative()) {
      throw new IllegalArgumentException("slow request threshold must not be negative, was " + slowThreshold);
    }
    this.slowMs = slowThreshold.toNanos() / 1_000_000.0;
  }

  /**
   * Logs a request as the seed's {@code log_request} does; the request id is taken from the MDC
   * ({@value LogFields#REQUEST_ID}) when one is set.
   *
   * @return the record written
   */
  public RequestRecord log(String method, String path, int statusCode, double responseTimeMs, String userId,
      String ipAddress, String userAgent) {
    return log(method, path, statusCode, responseTimeMs, userId, ipAddress, userAgent, MDC.get(LogFields.REQUEST_ID));
  }

  /**
   * Logs a request with an explicit request id.
   *
   * @return the record written
   */
  public RequestRecord log(String method, String path, int statusCode, double responseTimeMs, String userId,
      String ipAddress, String userAgent, String requestId) {
    RequestRecord record = new RequestRecord(method, path, statusCode, responseTimeMs, userId, ipAddress, userAgent,
        requestId, responseTimeMs >= slowMs);
    LOG.info("{}", record);
    return record;
  }
}
