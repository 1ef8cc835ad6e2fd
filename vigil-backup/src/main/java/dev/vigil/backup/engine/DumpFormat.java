package dev.vigil.backup.engine;

import java.util.Locale;

/** What a backup file holds before compression; the file name ends with {@link #extension()}. */
public enum DumpFormat {
  /** PostgreSQL custom archive ({@code pg_dump -Fc}), restored with {@code pg_restore}. */
  CUSTOM(".dump"),
  /** Plain SQL script: {@code pg_dump -Fp} (restored with {@code psql}) or a MySQL dump (restored with the client). */
  PLAIN(".sql"),
  /** A consistent copy of an SQLite database file. */
  SQLITE(".sqlite");

  private final String extension;

  DumpFormat(String extension) {
    this.extension = extension;
  }

  /** The file-name suffix before any compression suffix. */
  public String extension() {
    return extension;
  }

  /** Lower-case name for manifests: {@code custom}, {@code plain}, {@code sqlite}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The format whose extension is {@code ext} (with the dot). */
  public static DumpFormat ofExtension(String ext) {
    for (DumpFormat f : values()) {
      if (f.extension.equals(ext)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown dump extension " + ext);
  }
}
