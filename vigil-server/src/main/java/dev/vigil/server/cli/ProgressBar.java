package dev.vigil.server.cli;

import dev.vigil.backup.BackupProgress;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * A one-line progress bar for backups, verifications and restores: bytes done, percent, rate and ETA,
 * redrawn in place with {@code \r} at most ten times a second. Only for a terminal: {@link #forTerminal}
 * gives {@link BackupProgress#NONE} when there is no console (pipes, scripts, tests).
 */
public final class ProgressBar implements BackupProgress {
  private static final int WIDTH = 24;
  private static final Duration REDRAW = Duration.ofMillis(100);
  private final PrintWriter out;
  private final Clock clock;
  private Instant start;
  private String current;
  private boolean drawn;
  private Instant lastDraw;
  private int lastLength;

  /** A bar drawn on {@code out}, timed by {@code clock}. */
  public ProgressBar(PrintWriter out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  /** A bar on {@code out} when {@code System.console()} is present, else no progress output. */
  public static BackupProgress forTerminal(PrintWriter out) {
    return System.console() != null ? new ProgressBar(out, Clock.systemUTC()) : BackupProgress.NONE;
  }

  @Override
  public synchronized void update(String operation, String filename, long bytesDone, long bytesTotal) {
    String key = operation + " " + filename;
    Instant now = clock.instant();
    if (!key.equals(current)) {
      finish();
      current = key;
      start = now;
    } else if (lastDraw != null && Duration.between(lastDraw, now).compareTo(REDRAW) < 0 && bytesDone < bytesTotal) {
      return;
    }
    String line = render(operation, filename, bytesDone, bytesTotal, Duration.between(start, now));
    out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
    out.flush();
    lastDraw = now;
    lastLength = line.length();
    drawn = true;
  }

  /** Ends the current bar's line, if one was drawn. */
  public synchronized void finish() {
    if (drawn) {
      out.println();
      out.flush();
      drawn = false;
    }
    lastDraw = null;
    lastLength = 0;
  }

  /** The bar's text for {@code done} of {@code total} bytes after {@code elapsed}. */
  static String render(String operation, String filename, long done, long total, Duration elapsed) {
    double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
    double rate = done / seconds;
    StringBuilder sb = new StringBuilder().append(operation).append(' ').append(filename).append(' ');
    if (total > 0) {
      double frac = Math.min(1.0, (double) done / total);
      int filled = (int) Math.round(frac * WIDTH);
      sb.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ")
          .append(String.format(Locale.ROOT, "%3d%% ", Math.round(frac * 100)));
    }
    sb.append(mb(done));
    if (total > 0) {
      sb.append(" / ").append(mb(total));
    }
    sb.append(String.format(Locale.ROOT, "  %.1f MB/s", rate / 1048576.0));
    if (total > 0 && rate > 0 && done < total) {
      long eta = Math.round((total - done) / rate);
      sb.append(String.format(Locale.ROOT, "  ETA %d:%02d", eta / 60, eta % 60));
    }
    return sb.toString();
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
  }
}
