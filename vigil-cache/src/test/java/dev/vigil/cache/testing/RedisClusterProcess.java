package dev.vigil.cache.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A 3-master Redis Cluster from {@code redis-server} processes on loopback ports 7101-7103 (no replicas),
 * created with {@code redis-cli --cluster create}, in a temp dir; closed by killing the processes.
 */
public final class RedisClusterProcess implements AutoCloseable {
  /** The ports of the three masters. */
  public static final List<Integer> PORTS = List.of(7101, 7102, 7103);

  private final List<RedisProcess> nodes = new ArrayList<>();

  private RedisClusterProcess() {
  }

  /** Starts the nodes, assigns the slots and waits until every node reports {@code cluster_state:ok}. */
  public static RedisClusterProcess start(Path dir) throws IOException, InterruptedException {
    for (int port : PORTS) {
      if (inUse(port)) {
        throw new IllegalStateException("port " + port + " is taken; the cluster test needs 7101-7103 free");
      }
    }
    RedisClusterProcess cluster = new RedisClusterProcess();
    try {
      for (int port : PORTS) {
        cluster.nodes.add(new RedisProcess(port, dir.resolve("node-" + port), List.of("--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000")).start());
      }
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      PORTS.forEach(p -> create.add("127.0.0.1:" + p));
      create.add("--cluster-yes");
      Process p = new ProcessBuilder(create).redirectErrorStream(true)
          .redirectOutput(dir.resolve("create.log").toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("redis-cli --cluster create failed: " + Files.readString(dir.resolve("create.log")));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      for (int port : PORTS) {
        while (!cli(port, "cluster", "info").contains("cluster_state:ok")) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("cluster node " + port + " not ok after 30 s");
          }
          Thread.sleep(50);
        }
      }
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** The cache URI of this cluster, optionally with ACL credentials ({@code user:password@}). */
  public String uri(String userInfo) {
    StringBuilder sb = new StringBuilder("redis-cluster://").append(userInfo);
    for (int i = 0; i < PORTS.size(); i++) {
      sb.append(i == 0 ? "" : ",").append("127.0.0.1:").append(PORTS.get(i));
    }
    return sb.toString();
  }

  private static String cli(int port, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  private static boolean inUse(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    for (RedisProcess n : nodes) {
      n.stop(false);
    }
    nodes.clear();
  }
}
