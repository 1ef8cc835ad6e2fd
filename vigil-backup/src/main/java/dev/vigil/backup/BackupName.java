package dev.vigil.backup;

import dev.vigil.backup.compress.Compression;
import dev.vigil.backup.engine.DumpFormat;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a backup file: {@code <prefix>_YYYYMMDD_HHMMSS[_N]<format>[<compression>]}, e.g. the
 * documented {@code backup_20251106_020000.sql.gz}. Formats: {@code .sql} (plain SQL: MySQL, PostgreSQL
 * plain), {@code .dump} (PostgreSQL custom archive, which {@code pg_dump} itself compresses when gzip
 * is chosen), {@code .sqlite} (SQLite file); compression applied by Vigil: {@code .gz} or {@code .zst}. {@code _N} tells apart two backups taken within one second. Every
 * file name that reaches the library from outside is checked with {@link #parse(String)} before it
 * touches the file system, so {@code ../}, absolute and percent-encoded names are rejected.
 *
 * @param prefix lower-case letters, digits and {@code -}, 1 to 32 characters
 * @param timestamp when the backup started, in the backup's clock zone, whole seconds
 * @param sequence 0, or the 1-based counter for a second name within one second
 * @param format what the file holds
 * @param compression how it is compressed
 */
public record BackupName(String prefix, LocalDateTime timestamp, int sequence, DumpFormat format,
    Compression compression) implements Comparable<BackupName> {

  private static final String PREFIX = "[a-z0-9][a-z0-9-]{0,31}";
  private static final Pattern PREFIX_PATTERN = Pattern.compile(PREFIX);
  private static final Pattern NAME = Pattern.compile(
      "(" + PREFIX + ")_(\\d{8}_\\d{6})(?:_(\\d{1,4}))?(\\.sql|\\.dump|\\.sqlite)(\\.gz|\\.zst)?");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd_HHmmss");
  private static final String EXPECTED = "expected <prefix>_YYYYMMDD_HHMMSS[_N].{sql|dump|sqlite}[.gz|.zst], "
      + "e.g. backup_20251106_020000.sql.gz";

  /** Validates the parts. */
  public BackupName {
    checkPrefix(prefix);
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(compression, "compression");
    if (sequence < 0 || sequence > 9999) {
      throw new IllegalArgumentException("sequence must be 0..9999: " + sequence);
    }
    timestamp = timestamp.withNano(0);
  }

  /**
   * Parses and validates a backup file name.
   *
   * @throws InvalidBackupNameException when it is not a Vigil backup name (the message says why)
   */
  public static BackupName parse(String filename) {
    if (filename == null || filename.isEmpty()) {
      throw new InvalidBackupNameException("backup file name is empty; " + EXPECTED);
    }
    String why = "";
    if (filename.contains("/") || filename.contains("\\")) {
      why = "it contains a path separator; ";
    } else if (filename.contains("..")) {
      why = "it contains '..'; ";
    } else if (filename.contains("%")) {
      why = "it contains percent-encoding; ";
    }
    Matcher m = NAME.matcher(filename);
    if (!why.isEmpty() || !m.matches()) {
      throw new InvalidBackupNameException("invalid backup file name \"" + shown(filename) + "\": " + why + EXPECTED);
    }
    LocalDateTime ts;
    try {
      ts = LocalDateTime.parse(m.group(2), STAMP);
    } catch (DateTimeParseException e) {
      throw new InvalidBackupNameException("invalid backup file name \"" + shown(filename) + "\": "
          + m.group(2) + " is not a valid date and time");
    }
    int seq = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    Compression c = m.group(5) == null ? Compression.NONE : Compression.ofFilename(m.group(5));
    return new BackupName(m.group(1), ts, seq, DumpFormat.ofExtension(m.group(4)), c);
  }

  /** Whether {@code filename} is a valid backup name (no exception). */
  public static boolean isValid(String filename) {
    return filename != null && NAME.matcher(filename).matches();
  }

  /**
   * Checks a name prefix such as {@code backup}, {@code manual} or {@code safety}.
   *
   * @throws InvalidBackupNameException when it is not 1–32 lower-case letters, digits or {@code -}
   */
  public static String checkPrefix(String prefix) {
    if (prefix == null || !PREFIX_PATTERN.matcher(prefix).matches()) {
      throw new InvalidBackupNameException("invalid backup name prefix \"" + shown(String.valueOf(prefix))
          + "\": use 1-32 lower-case letters, digits or '-', starting with a letter or digit");
    }
    return prefix;
  }

  /** The file name. */
  public String filename() {
    return prefix + "_" + STAMP.format(timestamp) + (sequence == 0 ? "" : "_" + sequence) + format.extension()
        + compression.extension();
  }

  /** The name of the manifest beside the backup: {@code <filename>.json}. */
  public String manifestFilename() {
    return filename() + ".json";
  }

  /** Orders by time, then sequence, then name: oldest first. */
  @Override
  public int compareTo(BackupName o) {
    int c = timestamp.compareTo(o.timestamp);
    if (c == 0) {
      c = Integer.compare(sequence, o.sequence);
    }
    return c != 0 ? c : filename().compareTo(o.filename());
  }

  @Override
  public String toString() {
    return filename();
  }

  static String shown(String name) {
    String s = name.length() > 80 ? name.substring(0, 80) + "…" : name;
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
    return sb.toString();
  }
}
