package dev.vigil.bench.optimizer;

import dev.vigil.bench.BenchLine;
import dev.vigil.cache.CacheManager;
import dev.vigil.core.store.StateStore;
import dev.vigil.insight.testing.ErpWorkload;
import dev.vigil.insight.testing.PgInstance;
import dev.vigil.optimizer.ActionRecord;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Optimizer;
import dev.vigil.optimizer.OptimizerHooks;
import dev.vigil.optimizer.OptimizerOptions;
import dev.vigil.optimizer.RunReport;
import dev.vigil.optimizer.response.ProxyCacheTuning;
import dev.vigil.optimizer.testing.ErpApp;
import dev.vigil.proxy.AppProxy;
import dev.vigil.proxy.ProxyConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code optimizer.route_p95}: the ERP Flask app over PostgreSQL (the ERP workload of the insight suite)
 * behind Vigil's proxy; its slow report route's p95, measured by the client through the proxy, before and
 * after one optimizer run at {@code high} (which adds a proxy cache rule), on the real clock. Baseline =
 * before, vigil = after; the optimizer's decision on the change (the route kept busy until it decides, at
 * most a minute) and the seconds it took are printed with it.
 */
public final class RouteP95Bench {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private RouteP95Bench() {
  }

  /** {@code RouteP95Bench <work dir> [orders (default 300000)] [calls per phase (default 200)]}. */
  public static void main(String[] args) throws Exception {
    Path work = Files.createDirectories(Path.of(args[0]).resolve("route"));
    int orders = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
    int calls = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    Clock clock = Clock.systemUTC();
    try (PgInstance pg = PgInstance.start()) {
      pg.exec("postgres", "CREATE DATABASE erp");
      new ErpWorkload(orders).load(pg, "erp");
      try (ErpApp app = ErpApp.start("host=127.0.0.1 port=" + pg.port() + " dbname=erp user=postgres");
          CacheManager cache = CacheManager.builder().clock(clock).build();
          AppProxy proxy = AppProxy.start(ProxyConfig.builder(app.url()).listen("127.0.0.1", 0).build(), cache, null,
              clock);
          StateStore store = StateStore.open(null, work.resolve("state"))) {
        ProxyCacheTuning tuning = new ProxyCacheTuning(proxy, clock, Duration.ofMinutes(5),
            ProxyCacheTuning.DEFAULT_MIN_CALLS, ProxyCacheTuning.DEFAULT_SLOW_P95_MS, ProxyCacheTuning.DEFAULT_TTL);
        Optimizer optimizer = new Optimizer(OptimizerOptions.defaults().withClock(clock)
            .withWindows(Duration.ofMinutes(5), Duration.ofMinutes(10)), List.of(tuning), new OptimizerHooks() {
              @Override
              public void audit(String action, String resource, String outcome, Map<String, Object> facts) {
              }

              @Override
              public void checkpoint(String label) {
                throw new UnsupportedOperationException("the benchmark applies nothing at the aggressive level");
              }

              @Override
              public boolean busy() {
                return false;
              }
            }, store);
        String url = "http://127.0.0.1:" + proxy.port() + ErpApp.SALES;
        double[] before = drive(url, calls);
        RunReport run = optimizer.run(Level.HIGH, false, false, "bench");
        if (run.items().stream().noneMatch(i -> i.outcome() == RunReport.Outcome.APPLIED)) {
          throw new IllegalStateException("the optimizer applied nothing at high: " + run);
        }
        long applied = System.nanoTime();
        double[] after = drive(url, calls);
        // the route keeps its traffic until the optimizer decides on the rule (samples are kept at most
        // 4 a second per route), for at most a minute
        List<ActionRecord> decided = optimizer.observe();
        while (decided.isEmpty() && System.nanoTime() - applied < Duration.ofMinutes(1).toNanos()) {
          long second = System.nanoTime();
          while (System.nanoTime() - second < Duration.ofSeconds(1).toNanos()) {
            drive(url, 1);
          }
          decided = optimizer.observe();
        }
        double decidedAfter = (System.nanoTime() - applied) / 1e9;
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("route", ErpApp.SALES);
        extras.put("calls", calls);
        extras.put("orders", orders);
        extras.put("p50_before_ms", percentile(before, 0.5));
        extras.put("p50_after_ms", percentile(after, 0.5));
        extras.put("decision", decided.isEmpty() ? "waiting" : decided.get(0).status().name().toLowerCase(Locale.ROOT));
        if (!decided.isEmpty() && decided.get(0).confidence() != null) {
          extras.put("confidence", decided.get(0).confidence());
          extras.put("decided_after_s", decidedAfter);
        }
        BenchLine.print("optimizer.route_p95", percentile(after, 0.95), percentile(before, 0.95), "ms",
            BenchLine.Better.LOWER, extras);
      }
    }
  }

  /** Sends {@code calls} GETs one after another; their latencies in ms as the client saw them. */
  private static double[] drive(String url, int calls) throws Exception {
    List<Double> ms = new ArrayList<>();
    HttpRequest get = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      HttpResponse<String> r = HTTP.send(get, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
      }
      ms.add((System.nanoTime() - start) / 1e6);
    }
    return ms.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
  }
}
