package dev.vigil.logging.file;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import dev.vigil.logging.LogFiles;
import java.io.ByteArrayOutputStream;
import dev.vigil.core.fs.FileModes;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends encoded records to one file and rotates it by size the way Python's (
 * RotatingFileHandler) does: {@code file → file.1 → … → file.N}, the oldest deleted.
 *
 * <p>Unlike Logback's size policy, which checks the size only now and then and so lets a busy file
 * grow past its limit, the decision is exact: a record that would take the file over
 * {@code maxBytes} goes to a fresh file, so no file holds more than {@code maxBytes} (a single record
 * larger than that gets a file of its own). Each record is encoded outside the lock and written
 * with one {@code write} under it, so concurrent writers never split or interleave lines. Unbuffered
 * (the default), a record is in the file when {@code append} returns; {@linkplain #setBuffered
 * buffered} (behind an async queue, which calls {@link #flush()} whenever it runs dry), whole records
 * are gathered into one {@code write} of up to 64 KB, so a busy file costs a system call per batch,
 * not per record. The stream is not an
 * interruptible channel, so an interrupted writer (as Logback's async worker is at stop) cannot
 * close the file under the others.
 */
public final class SizeRotatingFileAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  private final Path file;
  private final long maxBytes;
  private final int backupCount;
  private final Encoder<ILoggingEvent> encoder;
  private static final int BUFFER_BYTES = 64 * 1024;

  private final ReentrantLock lock = new ReentrantLock();
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream(BUFFER_BYTES);
  private volatile boolean buffered;
  private FileOutputStream out;
  private final FileModes modes;
  private long size;
  private int generations;

  /**
   * Creates the appender (call {@link #start()} to open the file).
   *
   * @param file the active file
   * @param maxBytes size a file may reach before the next record goes to a fresh one
   * @param backupCount rotated files kept ({@code file.1} … {@code file.backupCount})
   * @param encoder turns an event into the bytes of one record, line separator included
   */
  public SizeRotatingFileAppender(Path file, long maxBytes, int backupCount, Encoder<ILoggingEvent> encoder) {
    this(file, maxBytes, backupCount, encoder, FileModes.PRIVATE);
  }

  /**
   * Like {@link #SizeRotatingFileAppender(Path, long, int, Encoder)}, with the permissions of the folder
   * (applied also when it exists) and of the files.
   */
  public SizeRotatingFileAppender(Path file, long maxBytes, int backupCount, Encoder<ILoggingEvent> encoder,
      FileModes modes) {
    this.modes = Objects.requireNonNull(modes, "modes");
    this.file = Objects.requireNonNull(file, "file");
    if (maxBytes < 1) {
      throw new IllegalArgumentException("max bytes of " + file + " must be positive, was " + maxBytes);
    }
    if (backupCount < 0) {
      throw new IllegalArgumentException("backup count of " + file + " must not be negative, was " + backupCount);
    }
    this.maxBytes = maxBytes;
    this.backupCount = backupCount;
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    setName(file.getFileName().toString());
  }

  /**
   * Gathers records in memory until {@link #flush()} or 64 KB, for an appender fed by one async
   * worker that flushes when its queue is empty. Set it before the first record.
   */
  public void setBuffered(boolean buffered) {
    this.buffered = buffered;
  }

  /** Writes the gathered records to the file (nothing to do when unbuffered). */
  public void flush() {
    lock.lock();
    try {
      writePending();
    } catch (IOException e) {
      addError("cannot write to log file " + file.toAbsolutePath(), e);
    } finally {
      lock.unlock();
    }
  }

  /** The active file. */
  public Path file() {
    return file;
  }

  @Override
  public void start() {
    lock.lock();
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        modes.directory(parent);
      }
      generations = countGenerations();
      open();
    } catch (IOException | UncheckedIOException e) {
      addError("cannot open log file " + file.toAbsolutePath(), e);
      return;
    } finally {
      lock.unlock();
    }
    if (!encoder.isStarted()) {
      encoder.start();
    }
    super.start();
  }

  @Override
  public void stop() {
    lock.lock();
    try {
      super.stop();
      try {
        writePending();
      } catch (IOException e) {
        addError("cannot write the last records to log file " + file.toAbsolutePath(), e);
      }
      closeChannel();
    } finally {
      lock.unlock();
    }
    encoder.stop();
  }

  @Override
  protected void append(ILoggingEvent event) {
    byte[] bytes = encoder.encode(event);
    lock.lock();
    try {
      if (out == null) {
        addError("log file " + file.toAbsolutePath() + " is not open; record lost");
        return;
      }
      if (size > 0 && size + bytes.length > maxBytes) {
        writePending();
        rotate();
      }
      if (!buffered) {
        out.write(bytes);
      } else {
        if (pending.size() + bytes.length > BUFFER_BYTES) {
          writePending();
        }
        pending.write(bytes, 0, bytes.length);
      }
      size += bytes.length;
    } catch (IOException e) {
      addError("cannot write to log file " + file.toAbsolutePath(), e);
    } finally {
      lock.unlock();
    }
  }

  /** Writes the gathered whole records with one {@code write}; call under the lock. */
  private void writePending() throws IOException {
    if (pending.size() == 0 || out == null) {
      return;
    }
    try {
      pending.writeTo(out);
    } finally {
      pending.reset();
    }
  }

  private void open() throws IOException {
    if (Files.notExists(file)) {
      modes.newFile(file);
    } else {
      modes.file(file);
    }
    out = new FileOutputStream(file.toFile(), true);
    size = Files.size(file);
  }

  private void rotate() throws IOException {
    closeChannel();
    try {
      if (backupCount == 0) {
        Files.deleteIfExists(file);
      } else {
        shiftGenerations();
        Files.move(file, LogFiles.rotated(file, 1), StandardCopyOption.REPLACE_EXISTING);
        generations = Math.min(generations + 1, backupCount);
      }
    } catch (IOException e) {
      generations = countGenerations();
      addError("cannot rotate log file " + file.toAbsolutePath() + "; writing on in the same file", e);
    } finally {
      open();
    }
  }

  /**
   * Moves {@code file.n} to {@code file.n+1} for the existing generations, newest last, dropping the
   * oldest when all {@code backupCount} exist. Only existing files are touched, so a rotation costs
   * one rename per kept generation and no probing of absent ones.
   */
  private void shiftGenerations() throws IOException {
    if (generations >= backupCount) {
      Files.deleteIfExists(LogFiles.rotated(file, backupCount));
      generations = backupCount - 1;
    }
    for (int n = generations; n >= 1; n--) {
      Files.move(LogFiles.rotated(file, n), LogFiles.rotated(file, n + 1), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** How many rotated files exist contiguously from {@code file.1}, at most {@code backupCount}. */
  private int countGenerations() {
    int n = 0;
    while (n < backupCount && Files.exists(LogFiles.rotated(file, n + 1))) {
      n++;
    }
    return n;
  }

  private void closeChannel() {
    if (out == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException e) {
      addError("cannot close log file " + file.toAbsolutePath(), e);
    }
    out = null;
  }
}
