package dev.vigil.logging.read;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a file's lines from the last to the first in 64 KB blocks, so the end of a large log can be
 * read without reading the whole of it. A last line without its line break (still being written)
 * is returned too; callers that parse records skip what does not parse.
 */
final class ReverseLines implements AutoCloseable {
  private static final int BLOCK = 64 * 1024;
  private final RandomAccessFile file;
  private final Path path;
  private long position;
  private byte[] block = new byte[0];
  private int blockEnd;
  private ByteArrayOutputStream carry = new ByteArrayOutputStream();
  private long bytesRead;

  ReverseLines(Path path) throws IOException {
    this.path = path;
    this.file = new RandomAccessFile(path.toFile(), "r");
    this.position = file.length();
  }

  /** Bytes read so far. */
  long bytesRead() {
    return bytesRead;
  }

  /** The previous line (without its line break), or {@code null} at the start of the file. */
  String previous() throws IOException {
    while (true) {
      for (int i = blockEnd - 1; i >= 0; i--) {
        if (block[i] == '\n') {
          String line = assemble(i + 1, blockEnd);
          blockEnd = i;
          if (line.isEmpty()) {
            continue;
          }
          return line;
        }
      }
      prependToCarry(0, blockEnd);
      blockEnd = 0;
      if (position == 0) {
        if (carry.size() == 0) {
          return null;
        }
        String line = decode(carry.toByteArray());
        carry = new ByteArrayOutputStream();
        return line;
      }
      int n = (int) Math.min(BLOCK, position);
      position -= n;
      block = new byte[n];
      file.seek(position);
      file.readFully(block);
      bytesRead += n;
      blockEnd = n;
    }
  }

  private String assemble(int from, int to) {
    if (carry.size() == 0) {
      return decode(Arrays.copyOfRange(block, from, to));
    }
    prependToCarry(from, to);
    String line = decode(carry.toByteArray());
    carry = new ByteArrayOutputStream();
    return line;
  }

  private void prependToCarry(int from, int to) {
    if (to <= from) {
      return;
    }
    byte[] tail = carry.toByteArray();
    carry = new ByteArrayOutputStream(to - from + tail.length);
    carry.write(block, from, to - from);
    carry.write(tail, 0, tail.length);
  }

  private static String decode(byte[] bytes) {
    int end = bytes.length;
    if (end > 0 && bytes[end - 1] == '\r') {
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
