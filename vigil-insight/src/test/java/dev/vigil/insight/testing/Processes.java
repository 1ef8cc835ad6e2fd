package dev.vigil.insight.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the command-line tools the throw-away servers need. */
final class Processes {
  private Processes() {
  }

  static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Runs {@code cmd} (as {@code user} when this JVM is root), failing with its output when it fails. */
  static String run(String user, List<String> cmd, long timeoutSeconds) {
    List<String> full = new ArrayList<>();
    if (root() && user != null) {
      full.addAll(List.of("runuser", "-u", user, "--"));
    }
    full.addAll(cmd);
    try {
      Path out = Files.createTempFile("vigil-insight-proc", ".log");
      try {
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + String.join(" ", full));
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
          throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", full) + "\n" + text);
        }
        return text;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", full) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", full), e);
    }
  }

  /** Hands {@code dir} to {@code user} when this JVM is root. */
  static void own(Path dir, String user) {
    if (root()) {
      run(null, List.of("chown", "-R", user + ":" + user, dir.toString()), 30);
    }
  }

  /** Deletes a tree. */
  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    run(null, List.of("rm", "-rf", dir.toString()), 60);
  }

  /** A free loopback port. */
  static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port: " + e.getMessage(), e);
    }
  }

  /** Fails loudly under CI, else aborts the test, when {@code tool} is missing. */
  static void requireTool(Path tool, String debianPackage) {
    if (Files.isExecutable(tool) || tool.toString().endsWith(".control") && Files.exists(tool)) {
      return;
    }
    String message = tool + " is missing: install the Debian package " + debianPackage + " (scripts/test does)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    org.junit.jupiter.api.Assumptions.abort(message);
  }
}
