package dev.vigil.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code prometheus} and {@code promtool} for the tests (scripts/test installs the package):
 * missing tools fail the test under {@code CI=true} and skip it elsewhere.
 */
final class PromTools {
  static final Path PROMTOOL = Path.of(System.getenv().getOrDefault("VIGIL_PROMTOOL", "/usr/bin/promtool"));
  static final Path PROMETHEUS = Path.of(System.getenv().getOrDefault("VIGIL_PROMETHEUS", "/usr/bin/prometheus"));
  /** contrib/prometheus of the repository (tests run in vigil-server/). */
  static final Path CONTRIB = Path.of("..", "contrib", "prometheus").toAbsolutePath().normalize();
  /** contrib/grafana of the repository. */
  static final Path GRAFANA = Path.of("..", "contrib", "grafana").toAbsolutePath().normalize();

  private PromTools() {
  }

  static void require(Path tool) {
    if (!Files.isExecutable(tool)) {
      String msg = tool + " is missing: install the Debian package prometheus (scripts/test does)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(msg);
      }
      Assumptions.abort(msg);
    }
  }

  /** Result of one tool run: exit code and merged output. */
  record Run(int exit, String output) {
  }

  /** Runs {@code command} in {@code dir} (at most 60 s) with stdin from {@code stdin} when given. */
  static Run run(Path dir, Path stdin, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("promtool", ".out");
    try {
      ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(out.toFile());
      if (stdin != null) {
        pb.redirectInput(stdin.toFile());
      }
      Process p = pb.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Runs promtool and asserts exit 0, showing its output otherwise. */
  static String promtool(Path dir, Path stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(PROMTOOL.toString());
    cmd.addAll(List.of(args));
    Run r = run(dir, stdin, cmd.toArray(String[]::new));
    assertThat(r.exit()).as("promtool %s:%n%s", String.join(" ", args), r.output()).isZero();
    return r.output();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
