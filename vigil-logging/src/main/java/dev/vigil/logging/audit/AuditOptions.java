package dev.vigil.logging.audit;

import dev.vigil.core.fs.FileModes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how an {@link AuditLog} writes.
 *
 * @param app application name: the file is {@code <logDir>/<app>_audit.log} and the chain's name in the store
 * @param logDir directory of the log files
 * @param dataDir directory holding the checkpoint key {@code audit.key}
 * @param maxFileBytes size at which the active file rotates (segments are never deleted)
 * @param checkpointEvery a keyed checkpoint at least every this many records
 * @param checkpointInterval and at least this often while records arrive
 * @param clock the time source of timestamps and checkpoints
 * @param fileModes permissions of the log folder, audit files and checkpoint file (default owner only)
 */
public record AuditOptions(String app, Path logDir, Path dataDir, long maxFileBytes, int checkpointEvery,
    Duration checkpointInterval, Clock clock, FileModes fileModes) {

  /** Validates the options. */
  public AuditOptions {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(logDir, "logDir");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(fileModes, "fileModes");
    if (!app.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw new IllegalArgumentException("audit app name must be letters, digits, '_', '.', '-': " + app);
    }
    if (maxFileBytes < 4096) {
      throw new IllegalArgumentException("audit maxFileBytes must be at least 4096, got " + maxFileBytes);
    }
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("audit checkpointEvery must be at least 1, got " + checkpointEvery);
    }
    if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
      throw new IllegalArgumentException("audit checkpointInterval must be positive, got " + checkpointInterval);
    }
  }

  /** 10 MB files, a checkpoint every 1000 records or 10 seconds, the system clock. */
  public static AuditOptions defaults(String app, Path logDir, Path dataDir) {
    return new AuditOptions(app, logDir, dataDir, 10L * 1024 * 1024, 1000, Duration.ofSeconds(10), Clock.systemUTC(),
        FileModes.PRIVATE);
  }

  /** The same with another file size limit. */
  public AuditOptions withMaxFileBytes(long bytes) {
    return new AuditOptions(app, logDir, dataDir, bytes, checkpointEvery, checkpointInterval, clock, fileModes);
  }

  /** The same with other checkpoint spacing. */
  public AuditOptions withCheckpoints(int every, Duration interval) {
    return new AuditOptions(app, logDir, dataDir, maxFileBytes, every, interval, clock, fileModes);
  }

  /** The same with another clock. */
  public AuditOptions withClock(Clock c) {
    return new AuditOptions(app, logDir, dataDir, maxFileBytes, checkpointEvery, checkpointInterval, c, fileModes);
  }

  /** The same with other file permissions. */
  public AuditOptions withFileModes(FileModes modes) {
    return new AuditOptions(app, logDir, dataDir, maxFileBytes, checkpointEvery, checkpointInterval, clock, modes);
  }
}
