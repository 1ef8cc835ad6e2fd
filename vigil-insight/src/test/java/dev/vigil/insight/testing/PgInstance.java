package dev.vigil.insight.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away PostgreSQL 15 server for one test class: {@code initdb} in a temp dir, started on a
 * free loopback port with {@code pg_stat_statements} preloaded (HypoPG available), stopped and deleted
 * on close. Runs as the {@code postgres} OS user when the JVM is root.
 */
public final class PgInstance implements AutoCloseable {
  /** Where Debian keeps the PostgreSQL 15 binaries. */
  public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
  private final Path dir;
  private final Path data;
  private final int port;

  private PgInstance(Path dir, int port) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
  }

  /** Creates and starts a server; {@code extraConf} lines are appended to postgresql.conf. */
  public static PgInstance start(String... extraConf) {
    Processes.requireTool(BIN.resolve("initdb"), "postgresql-15");
    Processes.requireTool(Path.of("/usr/share/postgresql/15/extension/hypopg.control"), "postgresql-15-hypopg");
    Path dir;
    try {
      dir = Files.createTempDirectory("vigil-insight-pg");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temp dir: " + e.getMessage(), e);
    }
    PgInstance pg = new PgInstance(dir, Processes.freePort());
    try {
      pg.init(extraConf);
      return pg;
    } catch (RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  private void init(String... extraConf) {
    Processes.own(dir, "postgres");
    Processes.run("postgres", List.of(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
        "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"), 120);
    List<String> conf = new ArrayList<>(List.of("port = " + port, "listen_addresses = '127.0.0.1'",
        "unix_socket_directories = '" + dir + "'", "shared_preload_libraries = 'pg_stat_statements'",
        "pg_stat_statements.track = top", "autovacuum = off", "fsync = off", "synchronous_commit = off",
        "full_page_writes = off", "shared_buffers = 256MB", "max_connections = 40", "jit = off",
        "max_wal_size = 4GB", "checkpoint_timeout = 30min", "maintenance_work_mem = 256MB", "work_mem = 16MB",
        "max_parallel_workers_per_gather = 0", "log_min_messages = warning"));
    conf.addAll(List.of(extraConf));
    try {
      Files.writeString(data.resolve("postgresql.conf"), "\n" + String.join("\n", conf) + "\n",
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write postgresql.conf: " + e.getMessage(), e);
    }
    Processes.run("postgres", List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
        dir.resolve("server.log").toString(), "-w", "-t", "60", "start"), 90);
  }

  /**
   * A streaming replica of this server ({@code pg_basebackup -R}) on another free port, started and
   * caught up; close it before this one.
   */
  public PgInstance replica() {
    Path rdir;
    try {
      rdir = Files.createTempDirectory("vigil-insight-pg-replica");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temp dir: " + e.getMessage(), e);
    }
    PgInstance r = new PgInstance(rdir, Processes.freePort());
    try {
      Processes.own(rdir, "postgres");
      Processes.run("postgres", List.of(BIN.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p",
          Integer.toString(port), "-U", "postgres", "-D", r.data.toString(), "-R", "-X", "stream", "--no-sync"), 120);
      Files.writeString(r.data.resolve("postgresql.conf"), "\nport = " + r.port + "\nunix_socket_directories = '"
          + rdir + "'\nhot_standby = on\n", StandardOpenOption.APPEND);
      Processes.run("postgres", List.of(BIN.resolve("pg_ctl").toString(), "-D", r.data.toString(), "-l",
          rdir.resolve("server.log").toString(), "-w", "-t", "60", "start"), 90);
      return r;
    } catch (IOException | RuntimeException e) {
      r.close();
      throw new IllegalStateException("cannot start a replica: " + e.getMessage(), e);
    }
  }

  /** The port. */
  public int port() {
    return port;
  }

  /** {@code postgresql://user@127.0.0.1:port/db}. */
  public String url(String user, String db) {
    return "postgresql://" + user + "@127.0.0.1:" + port + "/" + db;
  }

  /** A superuser connection to {@code db}. */
  public Connection connect(String db) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db, "postgres", "");
  }

  /** Runs statements as the superuser in {@code db}. */
  public void exec(String db, String... sql) {
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("on test PostgreSQL: " + e.getMessage(), e);
    }
  }

  /**
   * Runs pgbench with the given scripts (file name → body) for {@code seconds}; returns its output.
   */
  public String pgbench(String db, int clients, int seconds, java.util.Map<String, String> scripts) {
    try {
      Path sdir = Files.createTempDirectory("vigil-insight-pgbench");
      try {
        List<String> cmd = new ArrayList<>(List.of(BIN.resolve("pgbench").toString(), "-h", "127.0.0.1", "-p",
            Integer.toString(port), "-U", "postgres", "-n", "-c", Integer.toString(clients), "-j",
            Integer.toString(clients), "-T", Integer.toString(seconds)));
        for (var e : scripts.entrySet()) {
          Path f = sdir.resolve(e.getKey());
          Files.writeString(f, e.getValue());
          cmd.add("-f");
          cmd.add(f.toString());
        }
        cmd.add(db);
        return Processes.run(null, cmd, seconds + 120L);
      } finally {
        Processes.deleteTree(sdir);
      }
    } catch (IOException e) {
      throw new IllegalStateException("pgbench scripts: " + e.getMessage(), e);
    }
  }

  /** Stops the server at once and deletes its files. */
  @Override
  public void close() {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        Processes.run("postgres", List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
            "-w", "stop"), 60);
      }
    } finally {
      Processes.deleteTree(dir);
    }
  }
}
