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
  NONE(""),
  /** gzip at level 6, the documented {@code .gz} format, readable by {@code gunzip}. */
  GZIP(".gz"),
  /** Zstandard at level 3 with frame checksums, readable by {@code zstd -d}; several times faster than gzip. */
  ZSTD(".zst");

  private static final int BUFFER = 1 << 16;
  private final String extension;

  Compression(String extension) {
    this.extension = extension;
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

  /** Wraps {@code out} so that bytes written are compressed; closing the result finishes the stream. */
  public OutputStream compress(OutputStream out) throws IOException {
    return switch (this) {
      case NONE -> out;
      case GZIP -> new GZIPOutputStream(out, BUFFER);
      case ZSTD -> {
        ZstdOutputStream z = new ZstdOutputStream(out, 3);
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
