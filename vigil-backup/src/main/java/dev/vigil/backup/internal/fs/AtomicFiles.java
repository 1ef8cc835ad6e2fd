package dev.vigil.backup.internal.fs;

import dev.vigil.core.fs.FileModes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * File-system steps that survive a crash: write under a temp name, flush to disk, rename, then
 * flush the directory so the rename itself is durable. Temp names start with a dot and contain
 * {@code .tmp-}, so they never look like a backup and are swept by {@link #isTemp(String)}.
 */
public final class AtomicFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {
  }

  /** A fresh temp path beside {@code target}: {@code .<name>.tmp-<random>}. */
  public static Path tempFor(Path target) {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return target.resolveSibling("." + target.getFileName() + ".tmp-" + HexFormat.of().formatHex(b));
  }

  /** Whether a directory entry is a temp file left by this class (or by a killed run). */
  public static boolean isTemp(String filename) {
    return filename.startsWith(".") && filename.contains(".tmp-");
  }

  /** Flushes a file's content and metadata to disk. */
  public static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** Flushes a directory, making renames and deletions in it durable. */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** Renames {@code from} to {@code to} in one step (same directory, same file system). */
  public static void rename(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Creates {@code file} new, with the modes files in its folder get ({@link FileModes#ofFolder}: 0600,
   * or 0640 when the folder is readable by its group).
   */
  public static Path createPrivate(Path file) throws IOException {
    return FileModes.ofFolder(file.getParent()).newFile(file);
  }

  /**
   * Writes {@code content} to {@code target} atomically: temp file (created private, see
   * {@link #createPrivate}), fsync, rename, fsync directory.
   */
  public static void write(Path target, byte[] content) throws IOException {
    Path tmp = tempFor(target);
    try {
      createPrivate(tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      rename(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
    fsyncDirectory(target.getParent());
  }
}
