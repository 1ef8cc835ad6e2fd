package dev.vigil.bench.proxy;

import dev.vigil.bench.BenchLine;
import dev.vigil.proxy.AppProxy;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.ProxyRequestRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The proxy's load-adaptive limit under 5x overload: a bounded-capacity upstream ({@code php -S} with
 * {@code workers} workers, each request holding a worker for {@code ms} milliseconds) behind Vigil's
 * proxy with its default limits, driven first by {@code workers / 2} clients (unloaded), then by
 * {@code 5 * workers} clients. The accepted requests' p99 (as the proxy timed them, arrival to last byte)
 * under overload is compared with the unloaded p99; the goal is at most 2x, with no accepted request
 * failing.
 *
 * <p>Usage: {@code OverloadBench <php_app.php> [workers] [ms] [seconds]}.
 */
public final class OverloadBench {
  private OverloadBench() {
  }

  /** A running {@code php -S} and its port; closing it ends the server and its workers. */
  private record Php(Process process, int port) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private record Run(Map<Integer, AtomicInteger> statuses, int failures) {
    int count(int status) {
      AtomicInteger n = statuses.get(status);
      return n == null ? 0 : n.get();
    }

    int answered() {
      return statuses.values().stream().mapToInt(AtomicInteger::get).sum();
    }
  }

  /** Runs the case and prints its BENCH line. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: OverloadBench <php_app.php> [workers] [ms] [seconds]");
    }
    Path script = Path.of(args[0]).toAbsolutePath();
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int ms = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    ConcurrentLinkedQueue<ProxyRequestRecord> records = new ConcurrentLinkedQueue<>();
    try (Php php = startPhp(script, workers);
        AppProxy proxy = AppProxy.start(ProxyConfig.builder("http://127.0.0.1:" + php.port())
            .listen("127.0.0.1", 0).build(), null, null, Clock.systemUTC(), records::add)) {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      URI target = URI.create("http://127.0.0.1:" + proxy.port() + "/work?ms=" + ms);
      int unloadedClients = Math.max(1, workers / 2);
      int overloadClients = 5 * workers;
      load(client, target, unloadedClients, 3); // the JIT and the connection pool warm up
      records.clear();
      Run unloaded = load(client, target, unloadedClients, seconds);
      List<Double> unloadedMs = accepted(records, unloaded);
      load(client, target, overloadClients, 5); // the limit settles
      records.clear();
      Run overload = load(client, target, overloadClients, seconds);
      List<Double> overloadMs = accepted(records, overload);
      double before = p99(unloadedMs);
      double after = p99(overloadMs);
      int failed = overload.failures() + overload.answered() - overload.count(200) - overload.count(503);
      Map<String, Object> extras = new LinkedHashMap<>();
      extras.put("p99_factor", String.format("%.2f", after / before));
      extras.put("goal", "p99_factor<=2");
      extras.put("accepted", overload.count(200));
      extras.put("shed_503", overload.count(503));
      extras.put("failed", failed);
      extras.put("unloaded_accepted", unloaded.count(200));
      extras.put("limit", proxy.summary().concurrencyLimit());
      extras.put("upstream", "php-S_" + workers + "_workers_" + ms + "ms");
      extras.put("clients", unloadedClients + "_then_" + overloadClients);
      extras.put("window", seconds + "s");
      extras.put("baseline_is", "unloaded_p99");
      BenchLine.print("proxy.overload_p99", after, before, "ms", BenchLine.Better.LOWER, extras);
    }
  }

  /** Latencies of the 200 answers of a run, once every answer's record has been written. */
  private static List<Double> accepted(ConcurrentLinkedQueue<ProxyRequestRecord> records, Run run)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (records.size() < run.answered() && System.nanoTime() < deadline) {
      Thread.sleep(10); // records are written just after each answer; this waits for the last few
    }
    List<Double> out = new ArrayList<>();
    for (ProxyRequestRecord r : records) {
      if (r.statusCode() == 200) {
        out.add(r.responseTimeMs());
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no request was accepted: the upstream or the proxy is not working");
    }
    return out;
  }

  private static double p99(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.99) - 1));
  }

  /** {@code clients} threads each sending one request after another for {@code seconds}. */
  private static Run load(HttpClient client, URI target, int clients, int seconds) throws InterruptedException {
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    AtomicInteger failures = new AtomicInteger();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    CountDownLatch done = new CountDownLatch(clients);
    HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30)).build();
    for (int i = 0; i < clients; i++) {
      Thread t = new Thread(() -> {
        try {
          while (System.nanoTime() < end) {
            try {
              HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
              statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
              if (r.statusCode() == 503) {
                Thread.sleep(5); // a shed client comes back at once: the offered load stays at 5x
              }
            } catch (IOException e) {
              failures.incrementAndGet();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          done.countDown();
        }
      }, "overload-client-" + i);
      t.start();
    }
    done.await();
    return new Run(statuses, failures.get());
  }

  private static Php startPhp(Path script, int workers) throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb = new ProcessBuilder("php", "-S", "127.0.0.1:" + port, script.toString())
        .directory(script.getParent().toFile()).redirectErrorStream(true)
        .redirectOutput(Files.createTempFile("vigil-bench-php", ".log").toFile());
    pb.environment().put("PHP_CLI_SERVER_WORKERS", Integer.toString(workers));
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return new Php(p, port);
      } catch (IOException e) {
        if (!p.isAlive()) {
          throw new IllegalStateException("php -S exited with " + p.exitValue() + " before listening on " + port);
        }
        Thread.sleep(50);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("php -S did not listen on 127.0.0.1:" + port + " within 15 s");
  }
}
