package dev.vigil.logging.setup;

import dev.vigil.logging.LogFiles;
import dev.vigil.logging.LogLevel;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How {@link LoggingSetup#configure} sets up logging: the seed's {@code setup_logging} options plus
 * the few a Java process needs. Start from {@link #defaults(String)} and change what differs.
 *
 * @param appName prefix of every log file ({@code <app>.log}, {@code <app>_errors.log}, …)
 * @param logDir directory of the log files
 * @param level lowest level written to the console and {@code <app>.log}
 * @param console whether records also go to the console (standard error)
 * @param files whether records go to the log files
 * @param json JSON records in the files (else the plain-text format)
 * @param maxBytes size a file may reach before it rotates (seed: 10 MB)
 * @param backupCount rotated files kept per log (seed: 10)
 * @param colour whether console records are coloured by level
 * @param includeLocation whether records carry {@code module}, {@code function} and {@code line}
 *     (costs a stack walk per record)
 * @param async whether records are written by a background thread
 * @param dropWhenBusy when async and the queue is 80 % full, drop DEBUG/INFO records (counted)
 *     rather than make the caller wait; WARNING and above and request records are never dropped
 * @param queueSize records the async queue holds
 * @param zone time zone of the timestamps (the offset is always written)
 */
public record LoggingOptions(String appName, Path logDir, LogLevel level, boolean console, boolean files,
    boolean json, long maxBytes, int backupCount, ConsoleColour colour, boolean includeLocation, boolean async,
    boolean dropWhenBusy, int queueSize, ZoneId zone) {
  /** The seed's size limit: 10 MB. */
  public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
  /** The seed's backup count. */
  public static final int DEFAULT_BACKUP_COUNT = 10;
  /** Directory of the log files unless configured otherwise. */
  public static final Path DEFAULT_LOG_DIR = Path.of("logs");
  /** Lowest level written unless configured otherwise. */
  public static final LogLevel DEFAULT_LEVEL = LogLevel.INFO;
  /** Whether records also go to the console unless configured otherwise. */
  public static final boolean DEFAULT_CONSOLE = true;
  /** Whether the log files are written unless configured otherwise. */
  public static final boolean DEFAULT_FILES = true;
  /** Whether file records are JSON (else plain text) unless configured otherwise. */
  public static final boolean DEFAULT_JSON = true;

  /** Checks every option, naming the bad one. */
  public LoggingOptions {
    new LogFiles(Objects.requireNonNull(logDir, "logDir"), appName);
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(colour, "colour");
    Objects.requireNonNull(zone, "zone");
    if (maxBytes < 1) {
      throw new IllegalArgumentException("max bytes per log file must be positive, was " + maxBytes);
    }
    if (backupCount < 0 || backupCount > 100_000) {
      throw new IllegalArgumentException("backup count must be 0-100000, was " + backupCount);
    }
    if (queueSize < 16 || queueSize > 10_000_000) {
      throw new IllegalArgumentException("async queue size must be 16-10000000, was " + queueSize);
    }
  }

  /** The seed's defaults for {@code appName}: dir {@code logs}, INFO, console, files, JSON, 10 MB, 10 backups. */
  public static LoggingOptions defaults(String appName) {
    return new LoggingOptions(appName, DEFAULT_LOG_DIR, DEFAULT_LEVEL, DEFAULT_CONSOLE, DEFAULT_FILES, DEFAULT_JSON,
        DEFAULT_MAX_BYTES,
        DEFAULT_BACKUP_COUNT, ConsoleColour.AUTO, true, true, true, 8192, ZoneId.systemDefault());
  }

  /** The files these options write. */
  public LogFiles logFiles() {
    return new LogFiles(logDir, appName);
  }

  /** With another log directory. */
  public LoggingOptions withLogDir(Path dir) {
    return new LoggingOptions(appName, dir, level, console, files, json, maxBytes, backupCount, colour,
        includeLocation, async, dropWhenBusy, queueSize, zone);
  }

  /** With another level. */
  public LoggingOptions withLevel(LogLevel l) {
    return new LoggingOptions(appName, logDir, l, console, files, json, maxBytes, backupCount, colour,
        includeLocation, async, dropWhenBusy, queueSize, zone);
  }

  /** With the console on or off. */
  public LoggingOptions withConsole(boolean on) {
    return new LoggingOptions(appName, logDir, level, on, files, json, maxBytes, backupCount, colour,
        includeLocation, async, dropWhenBusy, queueSize, zone);
  }

  /** With the files on or off. */
  public LoggingOptions withFiles(boolean on) {
    return new LoggingOptions(appName, logDir, level, console, on, json, maxBytes, backupCount, colour,
        includeLocation, async, dropWhenBusy, queueSize, zone);
  }

  /** With JSON (true) or plain-text (false) files. */
  public LoggingOptions withJson(boolean on) {
    return new LoggingOptions(appName, logDir, level, console, files, on, maxBytes, backupCount, colour,
        includeLocation, async, dropWhenBusy, queueSize, zone);
  }

  /** With another rotation size. */
  public LoggingOptions withMaxBytes(long bytes) {
    return new LoggingOptions(appName, logDir, level, console, files, json, bytes, backupCount, colour,
        includeLocation, async, dropWhenBusy, queueSize, zone);
  }

  /** With another number of rotated files kept. */
  public LoggingOptions withBackupCount(int count) {
    return new LoggingOptions(appName, logDir, level, console, files, json, maxBytes, count, colour,
        includeLocation, async, dropWhenBusy, queueSize, zone);
  }

  /** With another console colour choice. */
  public LoggingOptions withColour(ConsoleColour c) {
    return new LoggingOptions(appName, logDir, level, console, files, json, maxBytes, backupCount, c,
        includeLocation, async, dropWhenBusy, queueSize, zone);
  }

  /** With or without caller location fields. */
  public LoggingOptions withIncludeLocation(boolean on) {
    return new LoggingOptions(appName, logDir, level, console, files, json, maxBytes, backupCount, colour,
        on, async, dropWhenBusy, queueSize, zone);
  }

  /** Written by a background thread (true) or by the logging thread (false). */
  public LoggingOptions withAsync(boolean on) {
    return new LoggingOptions(appName, logDir, level, console, files, json, maxBytes, backupCount, colour,
        includeLocation, on, dropWhenBusy, queueSize, zone);
  }

  /** Whether DEBUG/INFO records may be dropped (and counted) when the async queue is nearly full. */
  public LoggingOptions withDropWhenBusy(boolean on) {
    return new LoggingOptions(appName, logDir, level, console, files, json, maxBytes, backupCount, colour,
        includeLocation, async, on, queueSize, zone);
  }

  /** With another async queue size. */
  public LoggingOptions withQueueSize(int size) {
    return new LoggingOptions(appName, logDir, level, console, files, json, maxBytes, backupCount, colour,
        includeLocation, async, dropWhenBusy, size, zone);
  }

  /** With timestamps in another time zone. */
  public LoggingOptions withZone(ZoneId z) {
    return new LoggingOptions(appName, logDir, level, console, files, json, maxBytes, backupCount, colour,
        includeLocation, async, dropWhenBusy, queueSize, z);
  }
}
