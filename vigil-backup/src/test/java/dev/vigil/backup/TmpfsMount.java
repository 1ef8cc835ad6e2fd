package dev.vigil.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted for a test (a disk that fills up, or a read-only one), unmounted on close.
 * Mounting needs root: elsewhere the test is skipped with a message, except under {@code CI=true},
 * where it fails.
 */
final class TmpfsMount implements AutoCloseable {
  private final Path dir;

  private TmpfsMount(Path dir) {
    this.dir = dir;
  }

  static TmpfsMount mount(Path dir, String size) throws IOException {
    Files.createDirectories(dir);
    String err = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", dir.toString()));
    if (err != null) {
      String msg = "cannot mount a " + size + " tmpfs on " + dir + " (needs root): " + err;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(msg);
      }
      Assumptions.abort(msg);
    }
    return new TmpfsMount(dir);
  }

  Path dir() {
    return dir;
  }

  void remountReadOnly() {
    String err = run(List.of("mount", "-o", "remount,ro", dir.toString()));
    if (err != null) {
      throw new IllegalStateException("cannot remount " + dir + " read-only: " + err);
    }
  }

  @Override
  public void close() {
    String err = run(List.of("umount", dir.toString()));
    if (err != null) {
      err = run(List.of("umount", "-l", dir.toString()));
      if (err != null) {
        throw new IllegalStateException("cannot unmount " + dir + ": " + err);
      }
    }
  }

  /** Runs a command; returns null on success, else its output. */
  private static String run(List<String> argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.waitFor() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
