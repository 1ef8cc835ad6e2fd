package dev.vigil.cache.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} on a loopback port, for tests that stop, pause or cluster Redis and so
 * must not touch the shared server on 6379. Data lives in a temp dir: {@link #stop(boolean)} with
 * {@code save=true} writes dump.rdb there and {@link #start()} loads it back.
 */
public final class RedisProcess implements AutoCloseable {
  private final int port;
  private final Path dir;
  private final List<String> extraArgs;
  private final Path configFile;
  private Process process;

  /** A server on {@code port} keeping its files in {@code dir}; not started. */
  public RedisProcess(int port, Path dir, List<String> extraArgs) {
    this(port, dir, extraArgs, null);
  }

  private RedisProcess(int port, Path dir, List<String> extraArgs, Path configFile) {
    this.port = port;
    this.dir = dir;
    this.extraArgs = List.copyOf(extraArgs);
    this.configFile = configFile;
  }

  /**
   * A Sentinel on {@code port} watching the master on {@code masterPort} as {@code masterName} (quorum 1,
   * down after 1 s); not started. Sentinel needs a writable config file, written into {@code dir}.
   */
  public static RedisProcess sentinel(int port, Path dir, String masterName, int masterPort) throws IOException {
    Files.createDirectories(dir);
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(conf, String.join("\n",
        "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 1",
        "sentinel down-after-milliseconds " + masterName + " 1000",
        "sentinel failover-timeout " + masterName + " 5000", ""));
    return new RedisProcess(port, dir, List.of("--sentinel"), conf);
  }

  /** A free loopback port. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  /**
   * A free loopback port whose cluster bus port ({@code port + 10000}) is free too, for cluster nodes.
   */
  public static int freeClusterPort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = freePort();
      if (port + 10_000 <= 65_535 && !accepts(port + 10_000)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port with a free cluster bus port after 100 attempts");
  }

  /** Deletes a directory tree (a test's Redis data dir); a null or missing dir is ignored. */
  public static void deleteTree(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The port. */
  public int port() {
    return port;
  }

  /** Starts the server and waits until it accepts connections. */
  public RedisProcess start() throws IOException, InterruptedException {
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>(List.of("redis-server"));
    if (configFile != null) {
      cmd.add(configFile.toString());
    }
    cmd.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--dbfilename", "dump.rdb",
        "--logfile", dir.resolve("redis.log").toString(), "--daemonize", "no"));
    cmd.addAll(extraArgs);
    process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!accepts(port)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server on port " + port + " exited: see " + dir.resolve("redis.log"));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server on port " + port + " did not start in 10 s");
      }
      Thread.sleep(20);
    }
    return this;
  }

  /** Stops the server: with {@code save}, by SHUTDOWN SAVE so data survives a restart; else SIGKILL. */
  public void stop(boolean save) throws IOException, InterruptedException {
    if (process == null) {
      return;
    }
    if (save) {
      new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "shutdown", "save")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } else {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    process = null;
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    stop(false);
  }
}
