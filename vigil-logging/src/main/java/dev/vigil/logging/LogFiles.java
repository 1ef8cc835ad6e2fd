package dev.vigil.logging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The files of one application's logs in its log directory: {@code <app>.log},
 * {@code <app>_errors.log}, {@code <app>_debug.log}, {@code <app>_requests.log} and
 * {@code <app>_audit.log}, each rotated to {@code <file>.1} (newest) … {@code <file>.N}.
 *
 * @param dir the log directory
 * @param appName the application name, which prefixes every file
 */
public record LogFiles(Path dir, String appName) {
  private static final Pattern APP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** Validates the app name, which becomes part of file names. */
  public LogFiles {
    Objects.requireNonNull(dir, "dir");
    if (appName == null || !APP_NAME.matcher(appName).matches()) {
      throw new IllegalArgumentException("app name '" + appName
          + "' must be 1-64 letters, digits, '.', '_' or '-' and start with a letter or digit");
    }
  }

  /** {@code <app>.log}: records at the configured level and above. */
  public Path main() {
    return dir.resolve(appName + ".log");
  }

  /** {@code <app>_errors.log}: ERROR and CRITICAL records. */
  public Path errors() {
    return dir.resolve(appName + "_errors.log");
  }

  /** {@code <app>_debug.log}: every record, written only when the level is DEBUG (or TRACE). */
  public Path debug() {
    return dir.resolve(appName + "_debug.log");
  }

  /** {@code <app>_requests.log}: one record per answered HTTP request. */
  public Path requests() {
    return dir.resolve(appName + "_requests.log");
  }

  /** {@code <app>_audit.log}: the audit trail (written by the audit log, not by Logback). */
  public Path audit() {
    return dir.resolve(appName + "_audit.log");
  }

  /** The {@code n}-th rotated generation of {@code file} ({@code file.n}; 1 is the newest). */
  public static Path rotated(Path file, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("rotation index must be at least 1, was " + n);
    }
    return file.resolveSibling(file.getFileName() + "." + n);
  }

  /** {@code file} and its existing rotated generations, newest first. */
  public static List<Path> generations(Path file) {
    List<Path> out = new ArrayList<>();
    if (Files.exists(file)) {
      out.add(file);
    }
    for (int n = 1; ; n++) {
      Path p = rotated(file, n);
      if (!Files.exists(p)) {
        return out;
      }
      out.add(p);
    }
  }
}
