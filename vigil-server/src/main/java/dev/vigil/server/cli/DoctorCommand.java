package dev.vigil.server.cli;

import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.backup.engine.DumpEngine;
import dev.vigil.backup.engine.DumpFormat;
import dev.vigil.backup.engine.Preflight;
import dev.vigil.backup.engine.Tools;
import dev.vigil.cache.redis.RedisEndpoint;
import dev.vigil.core.config.Settings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.server.cache.CacheSettings;
import dev.vigil.server.backup.BackupSettings;
import dev.vigil.server.cache.ServerCache;
import dev.vigil.server.logging.LoggingSettings;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code vigil doctor}: checks the environment Vigil runs in — Java, the data dir, free disk, the
 * port, the database tools and Redis — as a table of OK/WARN/FAIL; exits 1 when anything FAILs.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Check the environment (exit 1 on FAIL).")
public final class DoctorCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;
  @Mixin
  FormatOption format;
  @Spec
  CommandLine.Model.CommandSpec spec;

  /** The outcome of one check. */
  public enum Status { OK, WARN, FAIL }

  /**
   * One checked thing.
   *
   * @param check what was checked
   * @param status the outcome
   * @param detail what was found
   */
  public record Check(String check, Status status, String detail) {
  }

  @Override
  public Integer call() {
    VigilConfig c = config.load();
    List<Check> checks = run(c);
    PrintWriter out = spec.commandLine().getOut();
    long fails = checks.stream().filter(k -> k.status() == Status.FAIL).count();
    long warns = checks.stream().filter(k -> k.status() == Status.WARN).count();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("checks", checks);
    body.put("ok", fails == 0);
    format.print(out, body, o -> o.println(checks.size() + " checks: " + fails + " FAIL, " + warns + " WARN"),
        o -> Output.table(o, List.of("CHECK", "STATUS", "DETAIL"),
            checks.stream().map(k -> List.of(k.check(), k.status().name(), k.detail())).toList()));
    return fails > 0 ? 1 : 0;
  }

  /** Runs every check for {@code c}. */
  public static List<Check> run(VigilConfig c) {
    List<Check> checks = new ArrayList<>();
    int feature = Runtime.version().feature();
    checks.add(new Check("java", feature >= 17 ? Status.OK : Status.FAIL,
        "Java " + System.getProperty("java.version") + (feature >= 17 ? "" : " (17 or newer needed)")));
    checks.add(writable("data dir", c.dataDir()));
    checks.add(freeDisk(c.dataDir()));
    checks.add(writable("backup dir", BackupSettings.backupDir(c)));
    checks.add(writable("log dir", Path.of(c.get(LoggingSettings.LOG_DIR))));
    checks.add(port(c.get(Settings.SERVER_BIND), c.get(Settings.SERVER_PORT)));
    boolean needsPg = c.databases().values().stream().anyMatch(u -> u.startsWith("postgres"));
    boolean needsMy = c.databases().values().stream().anyMatch(u -> u.startsWith("mysql") || u.startsWith("mariadb"));
    checks.add(tool("pg_dump", needsPg, "pg_dump", "--version"));
    checks.add(tool("pg_restore", needsPg, "pg_restore", "--version"));
    checks.add(tool("mariadb-dump", needsMy, "mariadb-dump", "--version"));
    c.databases().forEach((name, url) -> checks.add(database(name, url)));
    if (c.get(CacheSettings.USE_REDIS)) {
      checks.add(redis(ServerCache.endpoint(c)));
    } else {
      checks.add(new Check("redis", Status.OK, "not used (cache in memory)"));
    }
    return checks;
  }

  private static Check writable(String name, Path dir) {
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".doctor", ".tmp");
      Files.delete(probe);
      return new Check(name, Status.OK, dir.toAbsolutePath().normalize() + " is writable");
    } catch (IOException | SecurityException e) {
      return new Check(name, Status.FAIL, dir.toAbsolutePath().normalize() + " is not writable: " + e.getMessage());
    }
  }

  private static Check freeDisk(Path dir) {
    try {
      long free = Files.getFileStore(Files.createDirectories(dir)).getUsableSpace();
      long mb = free / (1024 * 1024);
      Status s = mb < 100 ? Status.FAIL : mb < 1024 ? Status.WARN : Status.OK;
      return new Check("free disk", s, mb + " MB free for " + dir.toAbsolutePath().normalize());
    } catch (IOException e) {
      return new Check("free disk", Status.FAIL, "cannot read free space of " + dir + ": " + e.getMessage());
    }
  }

  private static Check port(String bind, int port) {
    if (port == 0) {
      return new Check("port", Status.OK, "0: a free port is chosen at start");
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(bind), port));
      return new Check("port", Status.OK, bind + ":" + port + " is free");
    } catch (IOException e) {
      return new Check("port", Status.WARN, bind + ":" + port + " is in use (a running Vigil?) or cannot be bound: "
          + e.getMessage());
    }
  }

  private static Check tool(String name, boolean needed, String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      // waited for before reading: a version line fits the pipe, and a hung tool cannot block the read
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Check(name, needed ? Status.FAIL : Status.WARN, name + " did not answer within 10 s");
      }
      String version = new String(p.getInputStream().readAllBytes()).trim().lines().findFirst().orElse("");
      if (p.exitValue() != 0) {
        return new Check(name, needed ? Status.FAIL : Status.WARN, String.join(" ", command) + " exited with "
            + p.exitValue() + (version.isEmpty() ? "" : ": " + version));
      }
      return new Check(name, Status.OK, version);
    } catch (IOException e) {
      return new Check(name, needed ? Status.FAIL : Status.WARN, name + " not found on PATH"
          + (needed ? " (a configured database needs it)" : " (needed only to back up that engine)"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Check(name, Status.FAIL, "interrupted while running " + name);
    }
  }

  /**
   * Connects to a configured database the way a backup would: tools present, server reachable,
   * {@code pg_dump} not older than the server. The detail names the tool and server versions.
   */
  private static Check database(String name, String url) {
    String check = "database " + name;
    try {
      Preflight p = DumpEngine.create(DatabaseUrl.parse(url), Tools.onPath(), DumpFormat.CUSTOM).preflight();
      return new Check(check, Status.OK, "ready to back up: " + p.toolVersions());
    } catch (RuntimeException e) {
      return new Check(check, Status.FAIL, e.getMessage());
    }
  }

  /**
   * Pings every address the cache would use: the {@code REDIS_URL} nodes (Sentinels for a Sentinel URI)
   * when set, else {@code REDIS_HOST:REDIS_PORT}. A TLS ({@code rediss://}) node is only connected to.
   */
  private static Check redis(RedisEndpoint endpoint) {
    List<String> answers = new ArrayList<>();
    for (RedisURI uri : endpoint.uris()) {
      for (RedisURI node : uri.getSentinels().isEmpty() ? List.of(uri) : uri.getSentinels()) {
        Check c = redis(node.getHost(), node.getPort(), uri.isSsl());
        if (c.status() != Status.OK) {
          return c;
        }
        answers.add(c.detail());
      }
    }
    return new Check("redis", Status.OK, String.join("; ", answers));
  }

  private static Check redis(String host, int port, boolean tls) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      if (tls) {
        return new Check("redis", Status.OK, host + ":" + port + " accepts connections (TLS, not pinged)");
      }
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      s.setSoTimeout(2000);
      byte[] buf = new byte[64];
      int n = s.getInputStream().read(buf);
      String reply = n > 0 ? new String(buf, 0, n, StandardCharsets.US_ASCII).trim() : "";
      if (reply.startsWith("+PONG") || reply.startsWith("-NOAUTH")) {
        return new Check("redis", Status.OK, host + ":" + port + " answers" + (reply.startsWith("-NOAUTH")
            ? " (password required)" : ""));
      }
      return new Check("redis", Status.FAIL, host + ":" + port + " answered unexpectedly");
    } catch (IOException e) {
      return new Check("redis", Status.FAIL, host + ":" + port + " unreachable: " + e.getMessage());
    }
  }
}
