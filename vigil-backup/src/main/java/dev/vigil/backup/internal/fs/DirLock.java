package dev.vigil.backup.internal.fs;

import dev.vigil.backup.BackupException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * An exclusive, re-entrant lock on a backup directory, held while files in it are created, renamed
 * or deleted. It works across threads (a JVM lock) and across processes (an OS file lock on
 * {@code .vigil-backup.lock}, released by the kernel when a holder is killed), so a killed run never
 * leaves the directory locked and two runs never sweep each other's temp files.
 */
public final class DirLock {
  /** The lock file's name inside the backup directory. */
  public static final String LOCK_FILE = ".vigil-backup.lock";
  private static final Map<Path, DirLock> LOCKS = new ConcurrentHashMap<>();

  private final Path dir;
  private final ReentrantLock jvmLock = new ReentrantLock();
  private FileChannel channel;
  private FileLock fileLock;

  private DirLock(Path dir) {
    this.dir = dir;
  }

  /** The lock of {@code dir} (one instance per directory in this JVM). */
  public static DirLock of(Path dir) {
    return LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(), DirLock::new);
  }

  /**
   * Runs {@code work} while this thread holds the lock (blocking until it is free) and returns its
   * result. Re-entrant: work that calls back into {@code call} on the same directory does not block.
   *
   * @throws BackupException when the lock file cannot be created (e.g. the directory is not writable)
   */
  public <T> T call(Supplier<T> work) {
    acquire();
    try {
      return work.get();
    } finally {
      release();
    }
  }

  /** Like {@link #call(Supplier)} for work without a result. */
  public void run(Runnable work) {
    call(() -> {
      work.run();
      return null;
    });
  }

  private void acquire() {
    jvmLock.lock();
    if (jvmLock.getHoldCount() == 1) {
      try {
        channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        fileLock = channel.lock();
      } catch (IOException | RuntimeException e) {
        closeChannel();
        jvmLock.unlock();
        throw new BackupException("cannot lock backup directory " + dir + " (is it writable?): " + e, e);
      }
    }
  }

  private void release() {
    if (jvmLock.getHoldCount() == 1) {
      try {
        if (fileLock != null) {
          fileLock.release();
        }
      } catch (IOException e) {
        throw new BackupException("cannot release lock on backup directory " + dir + ": " + e, e);
      } finally {
        closeChannel();
        jvmLock.unlock();
      }
    } else {
      jvmLock.unlock();
    }
  }

  private void closeChannel() {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      throw new BackupException("cannot close lock file in " + dir + ": " + e, e);
    } finally {
      channel = null;
      fileLock = null;
    }
  }
}
