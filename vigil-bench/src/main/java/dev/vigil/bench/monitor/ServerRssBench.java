package dev.vigil.bench.monitor;

import dev.vigil.core.config.VigilConfig;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.server.VigilServer;
import dev.vigil.server.feature.Features;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The bench hook of {@code monitor.rss}: runs a real {@link VigilServer} in this JVM (monitoring at a
 * 1 s interval with one hour of history, or monitoring off for the baseline), fills the in-memory ring
 * with {@code samples} real readings of this host through {@link SystemMonitor#sampleNow()} (a full hour
 * of 1 s history without waiting an hour; the readings are real, only their spacing is not), answers a
 * few hundred API requests so both runs have warm HTTP paths, lets it settle, and prints
 * {@code RSS_KB=<VmRSS> SAMPLES=<ring size> HEAP_LIVE_KB=<heap in use after a full GC>} (VmRSS from
 * {@code /proc/self/status}, read before that GC).
 *
 * <p>Usage: {@code java <heap> -cp $BENCH_JAR:$VIGIL_JAR dev.vigil.bench.monitor.ServerRssBench on|off [samples]}.
 */
public final class ServerRssBench {
  private ServerRssBench() {
  }

  /** Runs one side of the case and prints its resident memory. */
  public static void main(String[] args) throws Exception {
    boolean on = args.length > 0 && args[0].equals("on");
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 3600;
    Path dir = Files.createTempDirectory("vigil-rss-bench");
    try {
      Map<String, String> env = new HashMap<>();
      env.put("VIGIL_DATA_DIR", dir.resolve("data").toString());
      env.put("LOG_DIR", dir.resolve("logs").toString());
      env.put("VIGIL_PORT", "0");
      env.put("ENABLE_MONITORING", Boolean.toString(on));
      env.put("MONITORING_INTERVAL", "1s");
      env.put("VIGIL_MONITORING_HISTORY", "1h");
      VigilConfig config = Features.loadConfig(null, env);
      try (VigilServer server = VigilServer.start(config, Clock.systemUTC(), new PrintStream(OutputStream.nullOutputStream()))) {
        int held = 0;
        if (on) {
          SystemMonitor monitor = server.monitor().orElseThrow();
          for (int i = 0; i < samples; i++) {
            monitor.sampleNow();
          }
          held = monitor.metricsSummary(Math.min(samples, monitor.ringCapacity())).readings();
        }
        String token = Files.readString(dir.resolve("data").resolve("admin.token")).trim();
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 300; i++) {
          String path = i % 3 == 0 ? "/api/info" : i % 3 == 1 ? "/metrics" : "/api/monitoring/health";
          client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
              .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding());
        }
        Thread.sleep(3000);
        long rss = rssKb();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.println("RSS_KB=" + rss + " SAMPLES=" + held + " HEAP_LIVE_KB=" + (rt.totalMemory() - rt.freeMemory()) / 1024);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS line in /proc/self/status");
  }
}
