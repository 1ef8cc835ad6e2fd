package dev.vigil.backup.engine;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Passes a {@code mysqldump}/{@code mariadb-dump} stream through unchanged while counting the rows it
 * holds per table: every {@code CREATE TABLE `t`} line registers a table with 0 rows and every
 * {@code INSERT INTO `t` VALUES (…),(…);} statement adds its top-level tuples (quotes and backslash
 * escapes are tracked, so parentheses inside strings do not count). The counts therefore describe
 * exactly the data the dump holds, taken in the dump's own consistent snapshot.
 */
final class MysqlRowCounter extends FilterOutputStream {
  private static final byte[] INSERT = "INSERT INTO `".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CREATE = "CREATE TABLE `".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_HEADER = 1024;

  private enum Mode { LINE_START, SKIP_LINE, VALUES }

  private final SortedMap<String, Long> counts = new TreeMap<>();
  private final ByteArrayOutputStream header = new ByteArrayOutputStream();
  private Mode mode = Mode.LINE_START;
  private String table;
  private boolean inString;
  private boolean escape;
  private int depth;

  MysqlRowCounter(OutputStream out) {
    super(out);
  }

  /** Rows per table seen so far. */
  SortedMap<String, Long> counts() {
    return new TreeMap<>(counts);
  }

  @Override
  public void write(int b) throws IOException {
    accept((byte) b);
    out.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      accept(b[i]);
    }
    out.write(b, off, len);
  }

  private void accept(byte b) {
    switch (mode) {
      case SKIP_LINE -> {
        if (b == '\n') {
          mode = Mode.LINE_START;
        }
      }
      case LINE_START -> header(b);
      case VALUES -> values(b);
      default -> throw new IllegalStateException(mode.name());
    }
  }

  private void header(byte b) {
    if (b == '\n') {
      header.reset();
      return;
    }
    header.write(b);
    byte[] h = header.toByteArray();
    boolean insert = startsWith(h, INSERT);
    boolean create = startsWith(h, CREATE);
    if (!insert && !create) {
      if (!prefixOf(h, INSERT) && !prefixOf(h, CREATE)) {
        skip();
      }
      return;
    }
    int start = insert ? INSERT.length : CREATE.length;
    ByteArrayOutputStream name = new ByteArrayOutputStream();
    for (int i = start; i < h.length; i++) {
      if (h[i] == '`') {
        if (i + 1 >= h.length) {
          return;
        }
        if (h[i + 1] == '`') {
          name.write('`');
          i++;
          continue;
        }
        String t = name.toString(StandardCharsets.UTF_8);
        if (create) {
          counts.putIfAbsent(t, 0L);
          skip();
        } else {
          table = t;
          counts.putIfAbsent(t, 0L);
          mode = Mode.VALUES;
          inString = false;
          escape = false;
          depth = 0;
          header.reset();
          for (int j = i + 1; j < h.length; j++) {
            values(h[j]);
          }
        }
        return;
      }
      name.write(h[i]);
    }
    if (h.length > MAX_HEADER) {
      skip();
    }
  }

  private void values(byte b) {
    if (inString) {
      if (escape) {
        escape = false;
      } else if (b == '\\') {
        escape = true;
      } else if (b == '\'') {
        inString = false;
      }
      return;
    }
    switch (b) {
      case '\'' -> inString = true;
      case '(' -> {
        if (depth == 0) {
          counts.merge(table, 1L, Long::sum);
        }
        depth++;
      }
      case ')' -> depth--;
      case ';' -> {
        if (depth == 0) {
          mode = Mode.SKIP_LINE;
        }
      }
      default -> {
      }
    }
  }

  private void skip() {
    header.reset();
    mode = Mode.SKIP_LINE;
  }

  private static boolean startsWith(byte[] h, byte[] p) {
    if (h.length < p.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      if (h[i] != p[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean prefixOf(byte[] h, byte[] p) {
    if (h.length > p.length) {
      return false;
    }
    for (int i = 0; i < h.length; i++) {
      if (h[i] != p[i]) {
        return false;
      }
    }
    return true;
  }
}
