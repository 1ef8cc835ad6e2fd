package dev.vigil.insight.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away MariaDB server for one test class: {@code mariadb-install-db} into a temp dir, then
 * {@code mariadbd} on a free loopback port with {@code performance_schema} on; killed and deleted on
 * close. Runs as the {@code mysql} OS user when the JVM is root.
 */
public final class MariaInstance implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process server;

  private MariaInstance(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Installs and starts a server. */
  public static MariaInstance start() {
    Processes.requireTool(Path.of("/usr/sbin/mariadbd"), "mariadb-server");
    Processes.requireTool(Path.of("/usr/bin/mariadb-install-db"), "mariadb-server");
    Path dir;
    try {
      dir = Files.createTempDirectory("vigil-insight-maria");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temp dir: " + e.getMessage(), e);
    }
    MariaInstance m = new MariaInstance(dir, Processes.freePort());
    try {
      m.init();
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  private void init() {
    Processes.own(dir, "mysql");
    Path data = dir.resolve("data");
    Processes.run("mysql", List.of("/usr/bin/mariadb-install-db", "--no-defaults", "--datadir=" + data,
        "--auth-root-authentication-method=normal", "--skip-test-db"), 120);
    List<String> cmd = new java.util.ArrayList<>();
    if (Processes.root()) {
      cmd.addAll(List.of("runuser", "-u", "mysql", "--"));
    }
    cmd.addAll(List.of("/usr/sbin/mariadbd", "--no-defaults", "--datadir=" + data, "--port=" + port,
        "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mysqld.sock"), "--pid-file=" + dir.resolve("m.pid"),
        "--performance_schema=ON", "--innodb-buffer-pool-size=128M", "--innodb-flush-log-at-trx-commit=0",
        "--skip-log-bin", "--innodb-lock-wait-timeout=30", "--log-error=" + dir.resolve("error.log")));
    try {
      server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile())
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start mariadbd: " + e.getMessage(), e);
    }
    org.awaitility.Awaitility.await("mariadbd on port " + port).atMost(60, TimeUnit.SECONDS)
        .pollInterval(java.time.Duration.ofMillis(200)).ignoreExceptions().until(() -> {
          if (!server.isAlive()) {
            throw new AssertionError("mariadbd exited: " + Files.readString(dir.resolve("error.log")));
          }
          try (Connection c = connect("mysql")) {
            return true;
          }
        });
  }

  /** The port. */
  public int port() {
    return port;
  }

  /** {@code mariadb://user:password@127.0.0.1:port/db}. */
  public String url(String user, String password, String db) {
    return "mariadb://" + user + ":" + password + "@127.0.0.1:" + port + "/" + db;
  }

  /** A root connection to {@code db}. */
  public Connection connect(String db) throws SQLException {
    return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/" + db, "root", "");
  }

  /** Runs statements as root in {@code db}. */
  public void exec(String db, String... sql) {
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("on test MariaDB: " + e.getMessage(), e);
    }
  }

  /** Kills the server and deletes its files. */
  @Override
  public void close() {
    try {
      if (server != null) {
        server.descendants().forEach(ProcessHandle::destroyForcibly);
        server.destroyForcibly();
        server.waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      Processes.deleteTree(dir);
    }
  }
}
