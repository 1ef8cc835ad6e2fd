package dev.vigil.backup.engine;

import dev.vigil.backup.BackupException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the dump and restore tools are: a given directory, or the {@code PATH}.
 *
 * @param binDir the directory holding {@code pg_dump}, {@code mariadb-dump}, …, or {@code null} for the {@code PATH}
 */
public record Tools(Path binDir) {

  /** Tools found on the {@code PATH}. */
  public static Tools onPath() {
    return new Tools(null);
  }

  /** Tools in {@code dir} only (e.g. {@code /usr/lib/postgresql/16/bin}). */
  public static Tools in(Path dir) {
    return new Tools(dir);
  }

  /** The dump program of {@code engine} (the first of {@link EngineKind#dumpTools()} found). */
  public Path dumpTool(EngineKind engine) {
    return find(engine, engine.dumpTools().toArray(String[]::new));
  }

  /** The restore program {@code name} of {@code engine}, one of its {@link EngineKind#restoreTools()}. */
  public Path restoreTool(EngineKind engine, String... names) {
    for (String n : names) {
      if (!engine.restoreTools().contains(n)) {
        throw new IllegalArgumentException(n + " is not a restore tool of " + engine.type());
      }
    }
    return find(engine, names);
  }

  private Path find(EngineKind engine, String... names) {
    if (engine.toolPackage() == null || names.length == 0) {
      throw new IllegalArgumentException(engine.type() + " needs no external tools");
    }
    return find(engine.toolPackage(), names);
  }

  /**
   * The first of {@code names} that exists and is executable.
   *
   * @param apt the Debian package that provides it, named in the error
   * @throws BackupException naming the tool, where it was looked for and what to install
   */
  public Path find(String apt, String... names) {
    List<Path> dirs = new ArrayList<>();
    if (binDir != null) {
      dirs.add(binDir);
    } else {
      String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
      for (String d : path.split(File.pathSeparator)) {
        if (!d.isEmpty()) {
          dirs.add(Path.of(d));
        }
      }
    }
    for (String name : names) {
      for (Path d : dirs) {
        Path p = d.resolve(name);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return p;
        }
      }
    }
    throw new BackupException(String.join(" or ", names) + " not found in "
        + (binDir != null ? binDir : "PATH") + "; install the " + apt + " package");
  }
}
