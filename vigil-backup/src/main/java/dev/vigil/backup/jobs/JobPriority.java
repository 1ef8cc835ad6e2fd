package dev.vigil.backup.jobs;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU and I/O priority heavy backup jobs (dumps, test restores) run their tools at. A restore a
 * person asked for always runs at {@link #NORMAL}: it is urgent.
 */
public enum JobPriority {
  /** The tool runs as any other process. */
  NORMAL,
  /**
   * The tool runs under {@code nice -n 10} and {@code ionice -c 2 -n 7} (best effort, lowest level): the
   * host's other work goes first, yet the job is never starved outright as in the idle I/O class.
   */
  LOW;

  /** Niceness of a {@link #LOW} job. */
  public static final int LOW_NICENESS = 10;
  /** The programs a {@link #LOW} job is started through. */
  public static final List<String> LOW_TOOLS = List.of("nice", "ionice");

  /** The command that runs {@code argv} at this priority. */
  public List<String> command(List<String> argv) {
    if (this == NORMAL) {
      return argv;
    }
    List<String> cmd = new ArrayList<>(List.of("nice", "-n", Integer.toString(LOW_NICENESS), "ionice", "-c", "2",
        "-n", "7"));
    cmd.addAll(argv);
    return cmd;
  }

  /** The programs this priority needs that are not on the {@code PATH} (none for {@link #NORMAL}). */
  public List<String> missingTools() {
    if (this == NORMAL) {
      return List.of();
    }
    List<String> missing = new ArrayList<>();
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String tool : LOW_TOOLS) {
      boolean found = false;
      for (String dir : path.split(File.pathSeparator)) {
        Path p = Path.of(dir.isEmpty() ? "." : dir, tool);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          found = true;
          break;
        }
      }
      if (!found) {
        missing.add(tool);
      }
    }
    return missing;
  }
}
