package dev.vigil.optimizer.cpu;

import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.RecordedProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How long a process's threads waited for a CPU (Linux {@code schedstat}: time runnable but not running),
 * in milliseconds per second of wall time between readings: what heavy jobs competing for the CPU cost
 * the process. A lower job priority should lower it. Call {@link #sample()} on a schedule.
 */
public final class SchedulerWait implements Probe {
  /**
   * How often the server reads it: each reading opens a file per thread of the process, and a rate over
   * half a minute serves the comparison of windows of minutes as well as one over one second.
   */
  public static final Duration DEFAULT_SPACING = Duration.ofSeconds(30);
  private final Path tasks;
  private final Clock clock;
  private final RecordedProbe recorded;
  private long lastWaitNanos = -1;
  private Instant lastAt;

  /** Readings of process {@code pid}'s threads, kept for {@code keep}. */
  public SchedulerWait(long pid, Clock clock, Duration keep) {
    this.tasks = Path.of("/proc", Long.toString(pid), "task");
    this.clock = clock;
    this.recorded = new RecordedProbe("run-queue wait of process " + pid + " (ms per s)", true, clock, keep);
  }

  /** Whether the kernel exposes scheduler statistics here. */
  public boolean available() {
    return Files.isReadable(tasks);
  }

  /**
   * Reads the threads' total wait and records the wait per second since the previous reading.
   *
   * @throws UncheckedIOException when the task list cannot be read
   */
  public synchronized void sample() {
    long wait = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
      for (Path task : dir) {
        try {
          String[] f = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
          wait += Long.parseLong(f[1]);
        } catch (NoSuchFileException e) {
          // the thread ended between listing and reading; its wait is gone with it
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scheduler statistics in " + tasks, e);
    }
    Instant now = clock.instant();
    if (lastAt != null && now.isAfter(lastAt) && wait >= lastWaitNanos) {
      double seconds = Duration.between(lastAt, now).toNanos() / 1e9;
      recorded.record((wait - lastWaitNanos) / 1e6 / seconds);
    }
    lastWaitNanos = wait;
    lastAt = now;
  }

  /** As {@link #sample()}, unless the previous reading is less than {@code spacing} old. */
  public synchronized void sampleAtMostEvery(Duration spacing) {
    if (lastAt == null || !clock.instant().isBefore(lastAt.plus(spacing))) {
      sample();
    }
  }

  @Override
  public String name() {
    return recorded.name();
  }

  @Override
  public boolean lowerIsBetter() {
    return true;
  }

  @Override
  public double[] samples(Instant from, Instant to) {
    return recorded.samples(from, to);
  }
}
