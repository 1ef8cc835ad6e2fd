package dev.vigil.logging.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Reads the chain fields of one audit line straight from its bytes, and checks its hash, without a
 * JSON parser: a line is {@code {"seq":N,…,"prev_hash":"<64 hex>","hash":"<64 hex>"}}, and its hash
 * is SHA-256 over the line without {@code ,"hash":"…"} (that is, over the canonical JSON the writer
 * produced). Instances are not thread-safe (they reuse a digest).
 */
final class RecordLine {
  /** Bytes of {@code ,"hash":"<64>"}} at the end of a line (without the newline). */
  static final int HASH_SUFFIX = 9 + 64 + 2;
  /** Bytes of {@code ,"prev_hash":"<64>"} before the hash suffix. */
  static final int PREV_SUFFIX = 14 + 64 + 1;
  private static final byte[] SEQ_PREFIX = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HASH_MARK = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PREV_MARK = ",\"prev_hash\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final MessageDigest sha256 = sha256();
  private final byte[] computed = new byte[64];

  long seq;
  String problem;

  /**
   * Parses {@code line[off, off+len)} (without newline). On success sets {@link #seq} and returns true;
   * else sets {@link #problem} and returns false.
   */
  boolean parse(byte[] line, int off, int len) {
    problem = null;
    if (len < SEQ_PREFIX.length + 1 + HASH_SUFFIX + PREV_SUFFIX || !startsWith(line, off, SEQ_PREFIX)) {
      problem = "not an audit record";
      return false;
    }
    long s = 0;
    int i = off + SEQ_PREFIX.length;
    int digits = 0;
    while (i < off + len && line[i] >= '0' && line[i] <= '9' && digits < 18) {
      s = s * 10 + (line[i] - '0');
      i++;
      digits++;
    }
    if (digits == 0 || line[i] != ',') {
      problem = "not an audit record (bad seq)";
      return false;
    }
    int hashAt = off + len - HASH_SUFFIX;
    int prevAt = hashAt - PREV_SUFFIX;
    if (!startsWith(line, hashAt, HASH_MARK) || line[off + len - 2] != '"' || line[off + len - 1] != '}'
        || !startsWith(line, prevAt, PREV_MARK) || line[hashAt - 1] != '"') {
      problem = "not an audit record (no prev_hash/hash at the end)";
      return false;
    }
    seq = s;
    return true;
  }

  /** Offset of the stored hash's 64 hex digits in a parsed line. */
  static int hashOffset(int off, int len) {
    return off + len - HASH_SUFFIX + HASH_MARK.length;
  }

  /** Offset of the stored prev_hash's 64 hex digits in a parsed line. */
  static int prevHashOffset(int off, int len) {
    return off + len - HASH_SUFFIX - PREV_SUFFIX + PREV_MARK.length;
  }

  /** Whether the stored hash of a parsed line equals the SHA-256 of its body. */
  boolean hashMatches(byte[] line, int off, int len) {
    sha256.reset();
    sha256.update(line, off, len - HASH_SUFFIX);
    sha256.update((byte) '}');
    byte[] d = sha256.digest();
    for (int k = 0; k < 32; k++) {
      computed[2 * k] = HEX[(d[k] >> 4) & 0xF];
      computed[2 * k + 1] = HEX[d[k] & 0xF];
    }
    int h = hashOffset(off, len);
    for (int k = 0; k < 64; k++) {
      if (line[h + k] != computed[k]) {
        return false;
      }
    }
    return true;
  }

  /** The SHA-256 hex of the record body, as the writer computes it. */
  static String hashOf(String body) {
    MessageDigest md = sha256();
    md.update(body.getBytes(StandardCharsets.UTF_8));
    md.update((byte) '}');
    return hex(md.digest());
  }

  static String hex(byte[] bytes) {
    byte[] out = new byte[bytes.length * 2];
    for (int k = 0; k < bytes.length; k++) {
      out[2 * k] = HEX[(bytes[k] >> 4) & 0xF];
      out[2 * k + 1] = HEX[bytes[k] & 0xF];
    }
    return new String(out, StandardCharsets.US_ASCII);
  }

  static String ascii(byte[] line, int off, int len) {
    return new String(line, off, len, StandardCharsets.US_ASCII);
  }

  static boolean regionEquals(byte[] line, int off, String hex64) {
    for (int k = 0; k < 64; k++) {
      if (line[off + k] != hex64.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] line, int off, byte[] prefix) {
    if (off < 0 || off + prefix.length > line.length) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (line[off + k] != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
