package dev.vigil.logging.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of one audit chain in a log dir. The active file is {@code <app>_audit.log}; when it is
 * full it is renamed, once and atomically, to {@code <app>_audit.log.<n>} with {@code n} one above
 * the highest existing number. So {@code .1} is the OLDEST segment and numbers grow with age —
 * unlike the other logs, nothing is ever shifted or deleted, and the chain reads {@code .1, .2, …},
 * then the active file.
 *
 * @param dir the log dir
 * @param app the application name
 */
record AuditSegments(Path dir, String app) {

  /** The active file. */
  Path active() {
    return dir.resolve(app + "_audit.log");
  }

  /** The lock file writers hold while they append: {@code .<app>_audit.lock}. */
  Path lockFile() {
    return dir.resolve("." + app + "_audit.lock");
  }

  /** Every file of the chain in order: rotated segments by number, then the active file if present. */
  List<Path> files() {
    Pattern p = Pattern.compile(Pattern.quote(app + "_audit.log.") + "([1-9][0-9]{0,8})");
    TreeMap<Integer, Path> numbered = new TreeMap<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, app + "_audit.log.*")) {
        for (Path f : ds) {
          Matcher m = p.matcher(f.getFileName().toString());
          if (m.matches()) {
            numbered.put(Integer.parseInt(m.group(1)), f);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list audit files in " + dir, e);
      }
    }
    List<Path> out = new ArrayList<>(numbered.values());
    if (Files.exists(active())) {
      out.add(active());
    }
    return out;
  }

  /**
   * Renames the (closed, synced) active file to the next segment number and syncs the directory.
   *
   * @return the new name
   */
  Path rotate() throws IOException {
    List<Path> files = files();
    int next = 1;
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (!f.equals(active())) {
        next = Math.max(next, Integer.parseInt(name.substring(name.lastIndexOf('.') + 1)) + 1);
      }
    }
    Path target = dir.resolve(app + "_audit.log." + next);
    Files.move(active(), target, StandardCopyOption.ATOMIC_MOVE);
    syncDir();
    return target;
  }

  /** Makes a rename or a file creation in the log dir durable (Linux: fsync of the directory). */
  void syncDir() {
    try (var ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync log dir " + dir, e);
    }
  }
}
