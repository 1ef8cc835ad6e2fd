package dev.vigil.backup.engine;

import dev.vigil.backup.BackupException;
import dev.vigil.backup.jobs.JobPriority;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A dump or restore tool running as a child process: standard error is drained by a named daemon
 * thread into a bounded tail (redacted of secrets) for the failure message; the exit code is always
 * checked by the caller through {@link #finish()} / {@link #check(String)}.
 */
public final class ChildProcess implements AutoCloseable {
  private static final int TAIL_LINES = 12;
  private static final int MAX_LINE = 400;
  private static final int CHUNK = 1 << 17;
  private static final int QUEUED_CHUNKS = 32;

  private final String tool;
  private final Process process;
  private final Redactor redactor;
  private final Deque<String> tail = new ArrayDeque<>();
  private final Thread stderrReader;

  private ChildProcess(String tool, Process process, Redactor redactor) {
    this.tool = tool;
    this.process = process;
    this.redactor = redactor;
    this.stderrReader = new Thread(this::drainStderr, "vigil-backup-" + tool + "-stderr");
    stderrReader.setDaemon(true);
    stderrReader.start();
  }

  /** How the child's standard streams are connected. */
  public enum Io {
    /** The parent reads the child's stdout (a dump); stdin is empty. */
    READ_STDOUT,
    /** The parent writes the child's stdin (a restore); stdout is discarded. */
    WRITE_STDIN
  }

  /**
   * Starts {@code argv} with {@code env} added to (or, for null values, removed from) this process's
   * environment. The argv must never hold a secret.
   *
   * @throws BackupException when the tool cannot be started
   */
  public static ChildProcess start(List<String> argv, Map<String, String> env, Io io, Redactor redactor) {
    return start(argv, env, io, redactor, JobPriority.NORMAL);
  }

  /**
   * Starts {@code argv} as {@link #start(List, Map, Io, Redactor)} does, at {@code priority} (through
   * {@code nice} and {@code ionice} for {@link JobPriority#LOW}; the child keeps the tool's pid, since
   * both exec it).
   *
   * @throws BackupException when the tool cannot be started
   */
  public static ChildProcess start(List<String> argv, Map<String, String> env, Io io, Redactor redactor,
      JobPriority priority) {
    String tool = Path.of(argv.get(0)).getFileName().toString();
    ProcessBuilder pb = new ProcessBuilder(priority.command(argv));
    env.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    if (io == Io.READ_STDOUT) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    } else {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    try {
      return new ChildProcess(tool, pb.start(), redactor);
    } catch (IOException e) {
      throw new BackupException("cannot start " + tool + ": " + redactor.redact(e.getMessage()), e);
    }
  }

  /**
   * Runs {@code argv} to completion and returns its standard output (for {@code --version}).
   *
   * @throws BackupException when it cannot start, or exits non-zero
   */
  public static String output(List<String> argv, Redactor redactor) {
    ChildProcess p = start(argv, Map.of(), Io.READ_STDOUT, redactor);
    try {
      String out = new String(p.stdout().readAllBytes(), StandardCharsets.UTF_8);
      p.check("running " + String.join(" ", argv));
      return out;
    } catch (IOException e) {
      p.close();
      throw new BackupException("reading output of " + p.tool + " failed: " + e.getMessage(), e);
    }
  }

  /** The tool's file name, e.g. {@code pg_dump}. */
  public String tool() {
    return tool;
  }

  /** The child's process id. */
  public long pid() {
    return process.pid();
  }

  /** The child's standard output (for {@link Io#READ_STDOUT}). */
  public InputStream stdout() {
    return process.getInputStream();
  }

  /** The child's standard input (for {@link Io#WRITE_STDIN}); close it to signal the end. */
  public OutputStream stdin() {
    return process.getOutputStream();
  }

  /** Waits for the child to exit and for its error output to be drained; returns the exit code. */
  public int finish() {
    try {
      int code = process.waitFor();
      stderrReader.join(TimeUnit.SECONDS.toMillis(10));
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new BackupException(tool + " was interrupted", e);
    }
  }

  /**
   * Waits for the exit and throws unless it is 0.
   *
   * @param action what the tool was doing, for the message (e.g. "dumping postgresql://…/shop")
   * @throws BackupException with the exit code and the stderr tail
   */
  public void check(String action) {
    int code = finish();
    if (code != 0) {
      throw new BackupException(failure(action, code));
    }
  }

  /** A message for a failed run: the action, the exit code (or the signal) and the stderr tail. */
  public String failure(String action, int code) {
    String how = code > 128 && code < 160 ? "was killed by signal " + (code - 128) + " (exit code " + code + ")"
        : "exited with code " + code;
    String err = stderrTail();
    return redactor.redact(tool + " " + how + " while " + action + (err.isEmpty() ? "" : ": " + err));
  }

  /** The last lines the tool wrote to standard error, secrets removed. */
  public String stderrTail() {
    synchronized (tail) {
      return redactor.redact(String.join(" | ", tail));
    }
  }

  /**
   * Copies the child's standard output into {@code out} until it ends, then checks the exit code.
   * A named reader thread drains the pipe into a bounded queue while the calling thread writes (and
   * so compresses and checksums), so the tool never waits on the parent's work. When writing to
   * {@code out} fails (e.g. the disk is full) the child is killed.
   *
   * @param action what is being done, for messages
   * @throws BackupException naming the failing side: the tool (exit code, stderr tail) or the file
   */
  public void drainTo(OutputStream out, String action) {
    BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
    AtomicReference<IOException> readFailure = new AtomicReference<>();
    Thread reader = new Thread(() -> readChunks(chunks, readFailure), "vigil-backup-" + tool + "-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      while (true) {
        byte[] chunk = chunks.take();
        if (chunk.length == 0) {
          break;
        }
        try {
          out.write(chunk);
        } catch (IOException e) {
          kill();
          reader.interrupt();
          finish();
          throw new BackupException(redactor.redact("writing the backup failed while " + action + ": "
              + e.getMessage()), e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      reader.interrupt();
      throw new BackupException(tool + " was interrupted while " + redactor.redact(action), e);
    }
    IOException failed = readFailure.get();
    if (failed != null) {
      kill();
      throw new BackupException(failure(action, finish()) + " (reading its output failed: " + failed.getMessage()
          + ")", failed);
    }
    check(action);
  }

  private void readChunks(BlockingQueue<byte[]> chunks, AtomicReference<IOException> failure) {
    InputStream in = stdout();
    try {
      while (true) {
        byte[] buf = new byte[CHUNK];
        int n = in.readNBytes(buf, 0, CHUNK);
        if (n > 0) {
          chunks.put(n == CHUNK ? buf : Arrays.copyOf(buf, n));
        }
        if (n < CHUNK) {
          break;
        }
      }
    } catch (IOException e) {
      failure.set(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      chunks.put(new byte[0]);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Writes {@code src} into the child's standard input, closes it and checks the exit code. When
   * reading {@code src} fails (a damaged or truncated file) the child is killed before it can commit.
   *
   * @param action what is being done, for messages
   * @throws BackupException naming the failing side
   */
  public void fillFrom(InputStream src, String action) {
    byte[] buf = new byte[1 << 17];
    OutputStream out = stdin();
    IOException writeFailure = null;
    while (true) {
      int n;
      try {
        n = src.read(buf);
      } catch (IOException e) {
        kill();
        finish();
        throw new BackupException(redactor.redact("reading the backup failed while " + action + ": " + e.getMessage()
            + " (the file is damaged or truncated)"), e);
      }
      if (n < 0) {
        break;
      }
      try {
        out.write(buf, 0, n);
      } catch (IOException e) {
        writeFailure = e;
        break;
      }
    }
    try {
      out.close();
    } catch (IOException e) {
      writeFailure = writeFailure == null ? e : writeFailure;
    }
    int code = finish();
    if (code != 0) {
      throw new BackupException(failure(action, code));
    }
    if (writeFailure != null) {
      throw new BackupException(tool + " stopped reading its input while " + redactor.redact(action) + ": "
          + writeFailure.getMessage(), writeFailure);
    }
  }

  /** Kills the child (used when the parent's side of the stream failed, e.g. the disk is full). */
  public void kill() {
    process.destroyForcibly();
  }

  /** Kills the child if it still runs and waits for it. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void drainStderr() {
    try (var reader = new BufferedReader(
        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        synchronized (tail) {
          tail.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "…" : line.strip());
          while (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      synchronized (tail) {
        tail.addLast("(reading " + tool + " error output failed: " + e.getMessage() + ")");
      }
    }
  }
}
