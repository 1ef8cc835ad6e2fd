package dev.vigil.logging;

/**
 * Names of the JSON fields and MDC keys Vigil's records use (the documented names), in one place so
 * that writers, readers and the server's request hook agree.
 */
public final class LogFields {
  private LogFields() {
  }

  /** MDC key and JSON field: the id of the HTTP request being served. */
  public static final String REQUEST_ID = "request_id";
  /** MDC key and JSON field: who is acting (for the server, the caller's token id). */
  public static final String USER_ID = "user_id";
  /** Record time, ISO-8601 with offset. */
  public static final String TIMESTAMP = "timestamp";
  /** Level name (DEBUG, INFO, WARNING, ERROR, CRITICAL). */
  public static final String LEVEL = "level";
  /** Logger name. */
  public static final String LOGGER = "logger";
  /** Formatted message. */
  public static final String MESSAGE = "message";
  /** Simple class name of the caller (Python's module). */
  public static final String MODULE = "module";
  /** Method of the caller. */
  public static final String FUNCTION = "function";
  /** Source line of the caller. */
  public static final String LINE = "line";
  /** Thread name. */
  public static final String THREAD = "thread";
  /** Exception object: {@code type}, {@code message}, {@code traceback[]}. */
  public static final String EXCEPTION = "exception";
}
