package dev.vigil.backup.compress;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How a dump is compressed on its way to disk, inside the JVM (never through a shell pipe, so the
 * dump tool's exit code is always seen). The file name ends with {@link #extension()}.
 */
public enum Compression {
  /** No compression. */
  NONE("", 0, 0, 0),
  /** gzip (level 6 by default), the documented {@code .gz} format, readable by {@code gunzip}. */
  GZIP(".gz", 6, 1, 9),
  /**
   * Zstandard (level 3 by default) with frame checksums, readable by {@code zstd -d}; several times faster
   * than gzip.
   */
  ZSTD(".zst", 3, 1, 19);

  private static final int BUFFER = 1 << 16;
  private final String extension;
  private final int defaultLevel;
  private final int minLevel;
  private final int maxLevel;

  Compression(String extension, int defaultLevel, int minLevel, int maxLevel) {
    this.extension = extension;
    this.defaultLevel = defaultLevel;
    this.minLevel = minLevel;
    this.maxLevel = maxLevel;
  }

  /** The level used unless one is given (0 for {@link #NONE}). */
  public int defaultLevel() {
    return defaultLevel;
  }

  /** The fastest level (0 for {@link #NONE}). */
  public int minLevel() {
    return minLevel;
  }

  /** The strongest level this library uses (0 for {@link #NONE}). */
  public int maxLevel() {
    return maxLevel;
  }

  /**
   * Checks a level for this codec.
   *
   * @throws IllegalArgumentException naming the codec's range
   */
  public void checkLevel(int level) {
    if (level < minLevel || level > maxLevel) {
      throw new IllegalArgumentException(id() + " level must be within " + minLevel + ".." + maxLevel + "; got "
          + level);
    }
  }

  /** The file-name suffix: {@code ""}, {@code ".gz"} or {@code ".zst"}. */
  public String extension() {
    return extension;
  }

  /** Lower-case name for manifests and config: {@code none}, {@code gzip}, {@code zstd}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #id()} (case-insensitive). */
  public static Compression ofId(String id) {
    for (Compression c : values()) {
      if (c.id().equalsIgnoreCase(id.strip())) {
        return c;
      }
    }
    throw new IllegalArgumentException("compression must be one of none, gzip, zstd; got '" + id + "'");
  }

  /** The compression whose extension ends {@code filename}, or {@link #NONE}. */
  public static Compression ofFilename(String filename) {
    if (filename.endsWith(GZIP.extension)) {
      return GZIP;
    }
    return filename.endsWith(ZSTD.extension) ? ZSTD : NONE;
  }

  /** Wraps {@code out} so that bytes written are compressed at the default level. */
  public OutputStream compress(OutputStream out) throws IOException {
    return compress(out, defaultLevel);
  }

  /**
   * Wraps {@code out} so that bytes written are compressed at {@code level}; closing the result finishes
   * the stream.
   *
   * @throws IllegalArgumentException when the level is outside the codec's range
   */
  public OutputStream compress(OutputStream out, int level) throws IOException {
    checkLevel(level);
    return switch (this) {
      case NONE -> out;
      case GZIP -> new GZIPOutputStream(out, BUFFER) {
        {
          def.setLevel(level);
        }
      };
      case ZSTD -> {
        ZstdOutputStream z = new ZstdOutputStream(out, level);
        z.setChecksum(true);
        yield z;
      }
    };
  }

  /** Wraps {@code in} so that reads return the decompressed bytes; a truncated stream fails. */
  public InputStream decompress(InputStream in) throws IOException {
    return switch (this) {
      case NONE -> in;
      case GZIP -> new GZIPInputStream(in, BUFFER);
      case ZSTD -> new ZstdInputStream(in);
    };
  }
}
