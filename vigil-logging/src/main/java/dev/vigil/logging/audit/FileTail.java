package dev.vigil.logging.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The end of an audit file: where its last complete line ends, and that line. */
final class FileTail {
  private FileTail() {
  }

  /** The offset just after the last newline of {@code ch} (0 when it has none). */
  static long endOfLastLine(FileChannel ch) throws IOException {
    long end = ch.size();
    ByteBuffer b = ByteBuffer.allocate(64 * 1024);
    while (end > 0) {
      long from = Math.max(0, end - b.capacity());
      b.clear().limit((int) (end - from));
      while (b.hasRemaining()) {
        if (ch.read(b, from + b.position()) < 0) {
          break;
        }
      }
      for (int i = (int) (end - from) - 1; i >= 0; i--) {
        if (b.get(i) == '\n') {
          return from + i + 1;
        }
      }
      end = from;
    }
    return 0;
  }

  /** The last complete line of {@code file} without its newline, or {@code null} when it has none. */
  static String lastLine(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long end = endOfLastLine(ch);
      if (end == 0) {
        return null;
      }
      long start = end - 1;
      ByteBuffer one = ByteBuffer.allocate(1);
      while (start > 0) {
        one.clear();
        ch.read(one, start - 1);
        if (one.get(0) == '\n') {
          break;
        }
        start--;
      }
      ByteBuffer line = ByteBuffer.allocate((int) (end - 1 - start));
      while (line.hasRemaining()) {
        if (ch.read(line, start + line.position()) < 0) {
          break;
        }
      }
      return new String(line.array(), StandardCharsets.UTF_8);
    }
  }

  /** Truncates bytes after the last newline of {@code file}; returns how many were removed. */
  static long repair(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long end = endOfLastLine(ch);
      if (end < size) {
        ch.truncate(end);
        ch.force(true);
      }
      return size - end;
    }
  }
}
