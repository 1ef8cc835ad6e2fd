package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI (in a separate process where it shares the log dir with a running server, as a person runs it,
 * or prints to the console): client commands reach the configured address, not
 * 8080; backup, checkpoint and token actions leave audit records whether the server runs or not; a port in
 * use is one clean line.
 */
class CliSecurityTest {
  @TempDir
  Path dir;

  record Run(int code, String out, String err) {
  }

  /** Runs {@code vigil ARGS} in a new JVM on this test's class path. */
  static Run vigil(String... args) throws Exception {
    return vigil(Map.of(), args);
  }

  /** Runs {@code vigil ARGS} in a new JVM with {@code env} added to its environment. */
  static Run vigil(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.vigil.server.cli.VigilCommand"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("VIGIL_PORT");
    pb.environment().remove("VIGIL_TOKEN");
    pb.environment().remove("VIGIL_BIND");
    pb.environment().putAll(env);
    Path out = Files.createTempFile("vigil-cli", ".out");
    Path err = Files.createTempFile("vigil-cli", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("vigil " + String.join(" ", args) + " did not finish");
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Path config(int port, String extra) throws Exception {
    return Files.writeString(dir.resolve("vigil.yml"), "data_dir: " + dir.resolve("data") + "\nserver:\n  port: "
        + port + "\nlogging:\n  dir: " + dir.resolve("logs") + "\n  console: false\n" + extra);
  }

  @Test
  void clientCommandsUseTheConfiguredAddressAndNameItInErrors() throws Exception {
    int port = freePort();
    Path cfg = config(port, "");
    try (TestServer s = TestServer.start(dir, Map.of("VIGIL_CONFIG", cfg.toString(),
        "VIGIL_PORT", Integer.toString(port)))) {
      CliTest.Result stats = CliTest.run("cache", "stats", "--config", cfg.toString());
      assertThat(stats.code()).as(stats.err()).isZero();
      assertThat(stats.out()).contains("memory");
    }
    CliTest.Result down = CliTest.run("cache", "stats", "--config", cfg.toString());
    assertThat(down.code()).isEqualTo(1);
    assertThat(down.err()).contains("127.0.0.1:" + port).doesNotContain("8080");
  }

  @Test
  void statusMetricsAndProcessesUseTheConfiguredBindAndPortAndNameThemWhenNothingAnswers() throws Exception {
    int port = freePort();
    Path cfg = Files.writeString(dir.resolve("vigil.yml"), "data_dir: " + dir.resolve("data") + "\nserver:\n  port: "
        + port + "\n  bind: 127.0.0.2\nlogging:\n  dir: " + dir.resolve("logs") + "\n  console: false\n");
    try (TestServer s = TestServer.start(dir, Map.of("VIGIL_CONFIG", cfg.toString(), "VIGIL_PORT", Integer.toString(port),
        "ENABLE_MONITORING", "true", "MONITORING_INTERVAL", "300ms"))) {
      assertThat(s.server.port()).isEqualTo(port);
      // the first sample may still be on its way: status answers once it is there
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        CliTest.Result status = CliTest.run("status", "--format", "summary", "--config", cfg.toString());
        assertThat(status.err()).isEmpty();
        assertThat(status.out()).containsPattern("^(healthy|warning|critical): cpu ");
      });
      CliTest.Result metrics = CliTest.run("metrics", "--format", "summary", "--config", cfg.toString());
      assertThat(metrics.code()).as(metrics.err()).isZero();
      assertThat(metrics.out()).contains(" cores, ram ");
      CliTest.Result processes = CliTest.run("processes", "--top", "3", "--format", "summary", "--config", cfg.toString());
      assertThat(processes.code()).as(processes.err()).isZero();
      assertThat(processes.out()).contains("processes; top by cpu");
    }
    for (String command : List.of("status", "metrics", "processes")) {
      CliTest.Result down = CliTest.run(command, "--config", cfg.toString());
      assertThat(down.code()).as(command).isEqualTo(1);
      assertThat(down.err()).as(command).contains("no Vigil server answers at http://127.0.0.2:" + port)
          .doesNotContain("8080");
    }
  }

  @Test
  void vigilPortFromTheEnvironmentOverridesTheFileForClientCommands() throws Exception {
    int filePort = freePort();
    int envPort = freePort();
    Path cfg = config(filePort, "");
    Map<String, String> env = Map.of("VIGIL_PORT", Integer.toString(envPort));
    try (TestServer s = TestServer.start(dir, Map.of("VIGIL_CONFIG", cfg.toString(), "VIGIL_PORT", Integer.toString(envPort),
        "ENABLE_MONITORING", "true", "MONITORING_INTERVAL", "300ms"))) {
      assertThat(s.server.port()).isEqualTo(envPort);
      await().atMost(Duration.ofSeconds(20)).until(() -> s.get("/api/monitoring/health", s.adminToken).statusCode() == 200);
      for (String command : List.of("status", "metrics", "processes")) {
        Run r = vigil(env, command, "--format", "json", "--config", cfg.toString());
        assertThat(r.err()).as(command).isEmpty();
        assertThat(r.out()).as(command).startsWith("{");
      }
    }
    for (String command : List.of("status", "metrics", "processes")) {
      Run down = vigil(env, command, "--config", cfg.toString());
      assertThat(down.code()).as(command).isEqualTo(1);
      assertThat(down.err()).as(command).contains("no Vigil server answers at http://127.0.0.1:" + envPort)
          .doesNotContain(":" + filePort).doesNotContain("8080");
    }
  }

  @Test
  void tokenRevokeFromTheCliIsAuditedWithTheServerRunningOrNot() throws Exception {
    int port = freePort();
    Path cfg = config(port, "");
    String user = "cli:" + System.getProperty("user.name");
    String first;
    try (TestServer s = TestServer.start(dir, Map.of("VIGIL_CONFIG", cfg.toString(),
        "VIGIL_PORT", Integer.toString(port)))) {
      Run created = vigil("token", "create", "--role", "operator", "--name", "revoked while running", "--config",
          cfg.toString());
      assertThat(created.code()).as(created.err()).isZero();
      String token = created.out().strip().lines().reduce((a, b) -> b).orElseThrow();
      first = token.substring(4, 14);
      assertThat(s.get("/api/info", token).statusCode()).isEqualTo(200);
      Run revoked = vigil("token", "revoke", first, "--config", cfg.toString());
      assertThat(revoked.code()).as(revoked.err()).isZero();
      await().atMost(Duration.ofSeconds(5)).until(() -> s.get("/api/info", token).statusCode() == 401);
      assertThat(s.audited("token.revoke")).anySatisfy(e -> {
        assertThat(e.path("user_id").asText()).isEqualTo(user);
        assertThat(e.path("resource").asText()).isEqualTo("token:" + first);
        assertThat(e.path("details").path("outcome").asText()).isEqualTo("success");
      });
    }
    // and with the server stopped
    CliTest.Result created = CliTest.run("token", "create", "--role", "viewer", "--name", "revoked while stopped",
        "--config", cfg.toString());
    assertThat(created.code()).as(created.err()).isZero();
    String second = created.lines().get(created.lines().size() - 1).substring(4, 14);
    CliTest.Result revoked = CliTest.run("token", "revoke", second, "--config", cfg.toString());
    assertThat(revoked.code()).as(revoked.err()).isZero();
    CliTest.Result unknown = CliTest.run("token", "revoke", "zzzzzzzzzz", "--config", cfg.toString());
    assertThat(unknown.code()).isEqualTo(1);
    try (TestServer again = TestServer.start(dir, Map.of("VIGIL_CONFIG", cfg.toString()))) {
      List<JsonNode> records = again.audited("token.revoke");
      assertThat(records).anySatisfy(e -> {
        assertThat(e.path("user_id").asText()).isEqualTo(user);
        assertThat(e.path("resource").asText()).isEqualTo("token:" + second);
        assertThat(e.path("details").path("outcome").asText()).isEqualTo("success");
      });
      assertThat(records).as("a refused revocation is audited too").anySatisfy(e -> {
        assertThat(e.path("user_id").asText()).isEqualTo(user);
        assertThat(e.path("resource").asText()).isEqualTo("token:zzzzzzzzzz");
        assertThat(e.path("details").path("outcome").asText()).isEqualTo("failure");
      });
      assertThat(records).extracting(e -> e.path("resource").asText()).contains("token:" + first);
    }
  }

  @Test
  void cliActionsAreAuditedWithTheServerRunningOrNot() throws Exception {
    Path db = dir.resolve("app.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id INTEGER)");
    }
    int port = freePort();
    Path cfg = config(port, "backup:\n  database_url: sqlite://" + db + "\n  scheduler:\n    enabled: false\n");
    String user = "cli:" + System.getProperty("user.name");
    try (TestServer s = TestServer.start(dir, Map.of("VIGIL_CONFIG", cfg.toString(),
        "VIGIL_PORT", Integer.toString(port)))) {
      Run token = vigil("token", "create", "--role", "viewer", "--name", "from the cli", "--config", cfg.toString());
      assertThat(token.code()).as(token.err()).isZero();
      Run backup = vigil("backup", "create", "--config", cfg.toString());
      assertThat(backup.code()).as(backup.err()).isZero();
      assertThat(s.audited("token.create")).anySatisfy(e -> assertThat(e.path("user_id").asText()).isEqualTo(user));
      assertThat(s.audited("backup.create")).anySatisfy(e -> {
        assertThat(e.path("user_id").asText()).isEqualTo(user);
        assertThat(e.path("resource").asText()).isEqualTo("database:default");
      });
    }
    // and with the server stopped
    CliTest.Result checkpoint = CliTest.run("checkpoint", "create", "before-upgrade", "--config", cfg.toString());
    assertThat(checkpoint.code()).as(checkpoint.err()).isZero();
    String file = Files.list(dir.resolve("data/backups")).map(p -> p.getFileName().toString())
        .filter(n -> n.endsWith(".gz")).sorted().findFirst().orElseThrow();
    CliTest.Result verify = CliTest.run("backup", "verify", file, "--config", cfg.toString());
    assertThat(verify.code()).as(verify.err()).isZero();
    CliTest.Result restore = CliTest.run("backup", "restore", file, "--yes", "--config", cfg.toString());
    assertThat(restore.code()).as(restore.err()).isZero();
    try (TestServer again = TestServer.start(dir, Map.of("VIGIL_CONFIG", cfg.toString()))) {
      for (String action : List.of("checkpoint.create", "backup.verify", "backup.restore")) {
        List<JsonNode> records = again.audited(action);
        assertThat(records).as(action).anySatisfy(e -> assertThat(e.path("user_id").asText()).isEqualTo(user));
      }
    }
  }

  @Test
  void aPortInUseIsOneCleanLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Path cfg = config(taken.getLocalPort(), "");
      Run serve = vigil("serve", "--config", cfg.toString());
      assertThat(serve.code()).isNotZero();
      String all = serve.out() + serve.err();
      assertThat(serve.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
      assertThat(all).doesNotContain("\tat ").doesNotContain("Exception:");
      assertThat(serve.err().lines().filter(l -> !l.isBlank()).count()).isEqualTo(1);
    }
  }
}
