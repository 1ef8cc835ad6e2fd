package dev.vigil.backup.jobs;

import dev.vigil.backup.compress.Compression;
import java.util.Locale;
import java.util.Objects;

/**
 * How heavy backup jobs run, changeable while the backup manager is in use (the optimizer lowers their
 * priority or adapts the compression level to the CPU headroom, and restores both): the priority of
 * dump and test-restore tools, and the compression level of each codec. Read at the start of each
 * job; a job under way keeps what it started with. One instance may be shared by several databases.
 */
public final class JobSettings {
  /** The priority unless changed: the tools run as any other process. */
  public static final JobPriority DEFAULT_PRIORITY = JobPriority.NORMAL;

  private volatile JobPriority priority = DEFAULT_PRIORITY;
  private volatile int gzipLevel = Compression.GZIP.defaultLevel();
  private volatile int zstdLevel = Compression.ZSTD.defaultLevel();

  /** The priority dump and test-restore tools start at. */
  public JobPriority priority() {
    return priority;
  }

  /**
   * Sets the priority of the next jobs.
   *
   * @throws IllegalStateException when the programs it needs are not on the {@code PATH}
   */
  public void priority(JobPriority next) {
    Objects.requireNonNull(next, "priority");
    if (!next.missingTools().isEmpty()) {
      throw new IllegalStateException("cannot run backup jobs at " + next.name().toLowerCase(Locale.ROOT)
          + " priority: " + String.join(" and ", next.missingTools()) + " not found on PATH");
    }
    this.priority = next;
  }

  /** The level {@code compression} compresses at (0 for {@link Compression#NONE}). */
  public int compressionLevel(Compression compression) {
    return switch (compression) {
      case NONE -> 0;
      case GZIP -> gzipLevel;
      case ZSTD -> zstdLevel;
    };
  }

  /**
   * Sets the level of {@code compression} for the next backups.
   *
   * @throws IllegalArgumentException when the level is outside the codec's range
   */
  public void compressionLevel(Compression compression, int level) {
    compression.checkLevel(level);
    switch (compression) {
      case NONE -> throw new IllegalArgumentException("no compression has no level");
      case GZIP -> gzipLevel = level;
      case ZSTD -> zstdLevel = level;
      default -> throw new IllegalStateException("unknown compression " + compression);
    }
  }
}
