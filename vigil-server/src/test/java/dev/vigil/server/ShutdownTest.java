package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.core.config.VigilConfig;
import dev.vigil.server.cli.VigilCommand;
import dev.vigil.server.feature.Features;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil serve} in its own JVM stops on SIGTERM, closes the store, and exits 0; a start that fails
 * part-way closes what it had started.
 */
class ShutdownTest {

  @Test
  void sigtermStopsCleanlyWithExitZero(@TempDir Path dir) throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), VigilCommand.class.getName(), "serve", "--port",
        Integer.toString(port));
    pb.environment().put("VIGIL_DATA_DIR", dir.resolve("data").toString());
    pb.environment().put("LOG_DIR", dir.resolve("logs").toString());
    pb.environment().put("ENABLE_MONITORING", "false");
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
    Process p = pb.start();
    try {
      HttpClient client = HttpClient.newHttpClient();
      URI health = URI.create("http://127.0.0.1:" + port + "/api/health");
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
          client.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      assertThat(p.exitValue()).isZero();
      assertThat(Files.readString(dir.resolve("out.log"))).contains("stopping");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aStartThatFailsClosesWhatItHadStarted(@TempDir Path dir) throws Exception {
    Set<Thread> before = vigilThreads();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      VigilConfig config = Features.loadConfig(null, Map.of("VIGIL_DATA_DIR", dir.resolve("data").toString(),
          "LOG_DIR", dir.resolve("logs").toString(), "VIGIL_PORT", Integer.toString(taken.getLocalPort()),
          "ENABLE_MONITORING", "true"));
      assertThatThrownBy(() -> VigilServer.start(config, Clock.systemUTC(),
          new PrintStream(OutputStream.nullOutputStream(), true)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .hasMessageContaining("in use");
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(vigilThreads()).as("threads left by the failed start").isSubsetOf(before));
  }

  private static Set<Thread> vigilThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("vigil-"))
        .collect(Collectors.toSet());
  }
}
