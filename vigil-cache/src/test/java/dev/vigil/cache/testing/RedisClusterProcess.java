package dev.vigil.cache.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A 3-master Redis Cluster from {@code redis-server} processes on free loopback ports (no replicas),
 * created with {@code redis-cli --cluster create}, in a temp dir; closed by killing the processes.
 */
public final class RedisClusterProcess implements AutoCloseable {
  private final List<Integer> ports;
  private final List<RedisProcess> nodes = new ArrayList<>();

  private RedisClusterProcess(List<Integer> ports) {
    this.ports = ports;
  }

  /** The ports of the three masters. */
  public List<Integer> ports() {
    return ports;
  }

  /** Starts the nodes, assigns the slots and waits until every node reports {@code cluster_state:ok}. */
  public static RedisClusterProcess start(Path dir) throws IOException, InterruptedException {
    List<Integer> ports = new ArrayList<>();
    while (ports.size() < 3) {
      int port = RedisProcess.freeClusterPort();
      if (!ports.contains(port)) {
        ports.add(port);
      }
    }
    RedisClusterProcess cluster = new RedisClusterProcess(List.copyOf(ports));
    try {
      for (int port : cluster.ports) {
        cluster.nodes.add(new RedisProcess(port, dir.resolve("node-" + port), List.of("--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000")).start());
      }
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      cluster.ports.forEach(p -> create.add("127.0.0.1:" + p));
      create.add("--cluster-yes");
      Process p = new ProcessBuilder(create).redirectErrorStream(true)
          .redirectOutput(dir.resolve("create.log").toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("redis-cli --cluster create failed: " + Files.readString(dir.resolve("create.log")));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      for (int port : cluster.ports) {
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
    for (int i = 0; i < ports.size(); i++) {
      sb.append(i == 0 ? "" : ",").append("127.0.0.1:").append(ports.get(i));
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

  @Override
  public void close() throws IOException, InterruptedException {
    for (RedisProcess n : nodes) {
      n.stop(false);
    }
    nodes.clear();
  }
}
