package dev.vigil.server.logging;

import static dev.vigil.core.config.ValueParser.bytesText;
import static dev.vigil.core.config.ValueParser.durationText;

import dev.vigil.core.config.Setting;
import dev.vigil.core.config.ValueParser;
import dev.vigil.logging.request.RequestLog;
import dev.vigil.logging.setup.LoggingOptions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The {@code logging.*} settings; their defaults are the logging library's. */
public final class LoggingSettings {
  private LoggingSettings() {
  }

  /** Log directory. */
  public static final Setting<String> LOG_DIR = Setting.of("logging.dir", ValueParser.text(),
      LoggingOptions.DEFAULT_LOG_DIR.toString(), "directory of the log files", "LOG_DIR");
  /** Log level. */
  public static final Setting<String> LOG_LEVEL = Setting.of("logging.level",
      ValueParser.oneOf("trace", "debug", "info", "warning", "warn", "error", "critical"),
      LoggingOptions.DEFAULT_LEVEL.name().toLowerCase(Locale.ROOT), "lowest level written", "LOG_LEVEL");
  /** JSON log records. */
  public static final Setting<Boolean> LOG_JSON = Setting.of("logging.json", ValueParser.bool(),
      Boolean.toString(LoggingOptions.DEFAULT_JSON), "JSON records (false: plain text)", "LOG_JSON_FORMAT");
  /** Log file size before rotation. */
  public static final Setting<Long> LOG_MAX_BYTES = Setting.of("logging.max_bytes", ValueParser.bytes(1024),
      bytesText(LoggingOptions.DEFAULT_MAX_BYTES), "size of a log file before it rotates", "LOG_MAX_BYTES");
  /** Rotated files kept. */
  public static final Setting<Integer> LOG_BACKUP_COUNT = Setting.of("logging.backup_count",
      ValueParser.integer(1, 10_000), Integer.toString(LoggingOptions.DEFAULT_BACKUP_COUNT),
      "rotated files kept per log", "LOG_BACKUP_COUNT");
  /** Console logging. */
  public static final Setting<Boolean> LOG_CONSOLE = Setting.of("logging.console", ValueParser.bool(),
      Boolean.toString(LoggingOptions.DEFAULT_CONSOLE), "also log to the console", "LOG_CONSOLE");
  /** File logging. */
  public static final Setting<Boolean> LOG_FILES = Setting.of("logging.files", ValueParser.bool(),
      Boolean.toString(LoggingOptions.DEFAULT_FILES),
      "write the log files in logging.dir (the server only; other commands log to the console)", "LOG_FILES");
  /** Requests at least this slow are flagged in the request log. */
  public static final Setting<Duration> LOG_SLOW_REQUEST = Setting.of("logging.slow_request",
      ValueParser.duration(Duration.ofMillis(1), Duration.ofHours(1)), durationText(RequestLog.DEFAULT_SLOW_THRESHOLD),
      "requests taking this long or longer are flagged \"slow\": true in the request log", "LOG_SLOW_REQUEST");

  /** Every logging setting, in the order {@code vigil config} prints them. */
  public static final List<Setting<?>> ALL = List.of(LOG_DIR, LOG_LEVEL, LOG_JSON, LOG_MAX_BYTES, LOG_BACKUP_COUNT,
      LOG_CONSOLE, LOG_FILES, LOG_SLOW_REQUEST);
}
