package dev.vigil.logging.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Reads a file line by line into a reused byte buffer, without decoding, and reports a torn tail. */
final class LineScanner {
  private LineScanner() {
  }

  /** Told of each complete line (without its newline). */
  @FunctionalInterface
  interface LineVisitor {
    /**
     * One line.
     *
     * @return false to stop scanning
     */
    boolean line(byte[] buf, int off, int len, long lineNo, long fileOffset) throws IOException;
  }

  /**
   * Scans {@code file}.
   *
   * @return the number of bytes after the last newline (a torn last line), or -1 when stopped early
   */
  static long scan(Path file, LineVisitor visitor) throws IOException {
    byte[] buf = new byte[1 << 20];
    int start = 0;
    int end = 0;
    long base = 0;
    long lineNo = 0;
    try (InputStream in = Files.newInputStream(file)) {
      while (true) {
        if (end == buf.length) {
          if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            base += start;
            end -= start;
            start = 0;
          } else {
            buf = Arrays.copyOf(buf, buf.length * 2);
          }
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
          return end - start;
        }
        int scanFrom = end;
        end += n;
        for (int i = scanFrom; i < end; i++) {
          if (buf[i] == '\n') {
            lineNo++;
            if (!visitor.line(buf, start, i - start, lineNo, base + start)) {
              return -1;
            }
            start = i + 1;
          }
        }
      }
    }
  }
}
