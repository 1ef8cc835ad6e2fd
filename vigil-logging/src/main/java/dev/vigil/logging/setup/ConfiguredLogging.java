package dev.vigil.logging.setup;

import dev.vigil.logging.LogFiles;
import java.util.List;
import java.util.Optional;

/**
 * The logging {@link LoggingSetup#configure} set up. {@link #close()} flushes every queued record
 * to its file, closes the files and puts back Logback's default configuration.
 */
public final class ConfiguredLogging implements AutoCloseable {
  private final LoggingOptions options;
  private final long generation;
  private final List<DropCountingAsyncAppender> queues;

  ConfiguredLogging(LoggingOptions options, long generation, List<DropCountingAsyncAppender> queues) {
    this.options = options;
    this.generation = generation;
    this.queues = List.copyOf(queues);
  }

  /** The options in force. */
  public LoggingOptions options() {
    return options;
  }

  /** The log files written, or empty when files are off. */
  public Optional<LogFiles> files() {
    return options.files() ? Optional.of(options.logFiles()) : Optional.empty();
  }

  /**
   * DEBUG/INFO records dropped because the async queue was nearly full (never WARNING and above,
   * never request records).
   */
  public long droppedEvents() {
    long sum = 0;
    for (DropCountingAsyncAppender q : queues) {
      sum += q.dropped();
    }
    return sum;
  }

  /** Whether this is still the configuration Logback runs with (a later configure replaces it). */
  public boolean isCurrent() {
    return LoggingSetup.isCurrent(generation);
  }

  @Override
  public void close() {
    LoggingSetup.close(generation);
  }
}
