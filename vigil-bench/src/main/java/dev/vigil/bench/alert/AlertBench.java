package dev.vigil.bench.alert;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.alert.AlertEngine;
import dev.vigil.alert.AlertsConfig;
import dev.vigil.alert.queue.Job;
import dev.vigil.alert.queue.JobQueue;
import dev.vigil.alert.queue.JobRequest;
import dev.vigil.alert.queue.QueueOptions;
import dev.vigil.alert.rule.MetricSource;
import dev.vigil.alert.rule.Op;
import dev.vigil.alert.rule.Rule;
import dev.vigil.alert.rule.RuleEngine;
import dev.vigil.alert.rule.Series;
import dev.vigil.bench.BenchLine;
import dev.vigil.core.store.StateStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./bench/run alerts}:
 * <ul>
 *   <li>alerts.eval_cpu: CPU of one evaluation of 1,000 rules, as % of one core at a 1 s interval,
 *       against the goal of 1 %</li>
 *   <li>alerts.fire_to_webhook: p99 from a condition holding past {@code for} to the webhook having
 *       the notification, against the goal of 1 s + group_wait</li>
 *   <li>alerts.queue: enqueue + complete per second on PostgreSQL, Vigil's JobQueue against
 *       db-scheduler on the same server, alternating 3 rounds each, median</li>
 * </ul>
 * Args: {@code <work dir> [jobs per queue round (default 5000)] [all|eval|fire|queue]}.
 */
public final class AlertBench {
  private static final String PG_ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres";

  private AlertBench() {
  }

  /** Runs the three cases. */
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    String only = args.length > 2 ? args[2] : "all";
    if (only.equals("all") || only.equals("eval")) {
      evalCpu();
    }
    if (only.equals("all") || only.equals("fire")) {
      fireToWebhook(work);
    }
    if (only.equals("all") || only.equals("queue")) {
      queue(jobs);
    }
  }

  static void evalCpu() {
    int rules = 1000;
    List<Rule> list = new ArrayList<>();
    Map<String, List<Series>> values = new ConcurrentHashMap<>();
    for (int i = 0; i < rules; i++) {
      String metric = "bench_metric_" + (i % 200);
      values.put(metric, List.of(new Series(Map.of("instance", "a"), i % 7), new Series(Map.of("instance", "b"), 50)));
      list.add(new Rule("R" + i, Rule.Kind.THRESHOLD, metric, Map.of("instance", i % 2 == 0 ? "a" : "b"), Op.GT,
          40 + (i % 20), Duration.ofMinutes(5), 1, "warning", Map.of("team", "t" + (i % 5)),
          Map.of("en", "value {{ value }}"), Map.of(), null, null, false));
    }
    MetricSource source = m -> values.getOrDefault(m, List.of());
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    RuleEngine engine = new RuleEngine(list, source, clock);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 2000; i++) {
      clock.advance(Duration.ofSeconds(1));
      engine.evaluate();
    }
    int rounds = 1000;
    long cpu0 = mx.getCurrentThreadCpuTime();
    int firing = 0;
    for (int i = 0; i < rounds; i++) {
      clock.advance(Duration.ofSeconds(1));
      firing = engine.evaluate().size();
    }
    double perEvalMs = (mx.getCurrentThreadCpuTime() - cpu0) / 1e6 / rounds;
    double percentOfCore = perEvalMs / 1000.0 * 100;
    BenchLine.print("alerts.eval_cpu", percentOfCore, 1.0, "%core", BenchLine.Better.LOWER,
        map("rules", rules, "per_eval_ms", perEvalMs, "alerts", firing, "baseline_is", "goal"));
  }

  static void fireToWebhook(Path work) throws Exception {
    int alerts = 40;
    Duration forDuration = Duration.ofSeconds(2);
    Duration groupWait = Duration.ofSeconds(1);
    Map<String, Long> received = new ConcurrentHashMap<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ObjectMapper json = new ObjectMapper();
    hook.createContext("/hook", ex -> {
      long now = System.currentTimeMillis();
      var body = json.readTree(ex.getRequestBody().readAllBytes());
      body.path("alerts").forEach(a -> {
        if ("firing".equals(a.path("status").asText())) {
          String name = a.path("labels").path("alertname").asText();
          if (name.startsWith("Latency")) {
            received.putIfAbsent(name, now);
          }
        }
      });
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    hook.setExecutor(Executors.newFixedThreadPool(4));
    hook.start();
    StringBuilder yaml = new StringBuilder("""
        evaluation_interval: 100ms
        builtin: {enabled: false}
        receivers: {hook: {type: webhook, url: "http://127.0.0.1:%d/hook"}}
        route: {receiver: hook, group_by: [alertname], group_wait: 1s}
        rules:
        """.formatted(hook.getAddress().getPort()));
    for (int i = 0; i < alerts; i++) {
      yaml.append("  - {name: Latency").append(i).append(", metric: m").append(i)
          .append(", op: \">\", threshold: 10, for: 2s}\n");
    }
    Map<String, List<Series>> values = new ConcurrentHashMap<>();
    Map<String, Long> raisedAt = new ConcurrentHashMap<>();
    Map<String, Long> enqueuedAt = new ConcurrentHashMap<>();
    Files.createDirectories(work);
    try (StateStore store = StateStore.open(null, work.resolve("fire"));
        AlertEngine engine = new AlertEngine(AlertsConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml.toString()),
            Map.of()), store, m -> values.getOrDefault(m, List.of()), Clock.systemUTC())) {
      engine.start();
      // warm up the delivery path (HTTP client, JSON, SQL) before measuring
      for (int i = 0; i < 20; i++) {
        engine.test("hook", "warm-up");
      }
      long warm = System.currentTimeMillis() + 10_000;
      while (engine.queue().counts().get(Job.DONE) < 20 && System.currentTimeMillis() < warm) {
        Thread.sleep(20);
      }
      for (int i = 0; i < alerts; i++) {
        raisedAt.put("Latency" + i, System.currentTimeMillis());
        values.put("m" + i, List.of(Series.of(100)));
        Thread.sleep(97);
      }
      long deadline = System.currentTimeMillis() + 30_000;
      while (received.size() < alerts && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      for (Job j : engine.queue().jobs("hook", null, 1000)) {
        if (j.idempotencyKey().startsWith("test:")) {
          continue;
        }
        String name = json.readTree(j.payload()).path("commonLabels").path("alertname").asText();
        enqueuedAt.put(name, j.createdAt().toEpochMilli());
      }
    } finally {
      hook.stop(0);
      ((ExecutorService) hook.getExecutor()).shutdownNow();
    }
    double[] lat = new double[received.size()];
    double[] toQueue = new double[received.size()];
    double[] delivery = new double[received.size()];
    int i = 0;
    for (var e : received.entrySet()) {
      long q = enqueuedAt.getOrDefault(e.getKey(), e.getValue());
      toQueue[i] = (q - raisedAt.get(e.getKey()) - forDuration.toMillis()) / 1000.0;
      delivery[i] = (e.getValue() - q) / 1000.0;
      // the condition holds past `for` at raise + for; the sample is read at the next evaluation
      lat[i++] = (e.getValue() - raisedAt.get(e.getKey()) - forDuration.toMillis()) / 1000.0;
    }
    Arrays.sort(lat);
    double p99 = lat.length == 0 ? Double.NaN : lat[Math.min(lat.length - 1, (int) Math.ceil(lat.length * 0.99) - 1)];
    double p50 = lat.length == 0 ? Double.NaN : lat[lat.length / 2];
    BenchLine.print("alerts.fire_to_webhook", p99, 1.0 + groupWait.toMillis() / 1000.0, "s", BenchLine.Better.LOWER,
        map("p50_s", p50, "queued_p50_s", median(toQueue), "delivery_p50_s", median(delivery), "alerts", alerts, "received", received.size(), "group_wait_s", 1.0, "eval_interval_ms", 100,
            "baseline_is", "goal"));
  }

  static void queue(int jobs) throws Exception {
    String db = "vigil_bench_alerts_" + ProcessHandle.current().pid();
    admin("CREATE DATABASE " + db);
    try {
      String url = "postgresql://postgres@127.0.0.1:5432/" + db;
      try (StateStore store = StateStore.open(url, null)) {
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
          s.execute("""
              CREATE TABLE scheduled_tasks (
                task_name TEXT NOT NULL, task_instance TEXT NOT NULL, task_data BYTEA,
                execution_time TIMESTAMP WITH TIME ZONE NOT NULL, picked BOOLEAN NOT NULL, picked_by TEXT,
                last_success TIMESTAMP WITH TIME ZONE, last_failure TIMESTAMP WITH TIME ZONE,
                consecutive_failures INT, last_heartbeat TIMESTAMP WITH TIME ZONE, version BIGINT NOT NULL,
                priority SMALLINT, PRIMARY KEY (task_name, task_instance))""");
          s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
          s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
        }
        JobQueue queue = new JobQueue(store, Clock.systemUTC(), QueueOptions.defaults(), () -> 0.5);
        List<Double> vigil = new ArrayList<>();
        List<Double> base = new ArrayList<>();
        List<String> rounds = new ArrayList<>();
        vigilRound(queue, store, Math.min(jobs, 500), -1);
        baselineRound(store, Math.min(jobs, 500), -1);
        for (int r = 0; r < 3; r++) {
          double v = vigilRound(queue, store, jobs, r);
          double b = baselineRound(store, jobs, r);
          vigil.add(v);
          base.add(b);
          rounds.add(String.format(java.util.Locale.ROOT, "%.2f", v / b));
        }
        BenchLine.print("alerts.queue", median(vigil), median(base), "jobs/s", BenchLine.Better.HIGHER,
            map("jobs", jobs, "workers", 4, "store", "postgresql", "baseline_is", "db-scheduler-" + dbSchedulerVersion(), "rounds", String.join(",", rounds)));
      }
    } finally {
      admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }
  }

  static double vigilRound(JobQueue queue, StateStore store, int jobs, int round) throws Exception {
    store.jdbi().useHandle(h -> h.execute("DELETE FROM vigil_alert_attempt; DELETE FROM vigil_alert_job"));
    String q = "bench";
    AtomicInteger done = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(4);
    CountDownLatch finished = new CountDownLatch(1);
    long t0 = System.nanoTime();
    for (int w = 0; w < 4; w++) {
      String owner = "w" + w;
      workers.submit(() -> {
        while (done.get() < jobs) {
          List<Job> batch = queue.claim(q, owner, 10);
          if (batch.isEmpty()) {
            Thread.sleep(5);
            continue;
          }
          for (Job j : batch) {
            queue.complete(j, owner);
            if (done.incrementAndGet() == jobs) {
              finished.countDown();
            }
          }
        }
        return null;
      });
    }
    for (int i = 0; i < jobs; i++) {
      queue.enqueue(JobRequest.of(q, "bench", "r" + round + "-" + i, i % 3, "{}"));
    }
    finished.await(10, TimeUnit.MINUTES);
    double perSecond = jobs / ((System.nanoTime() - t0) / 1e9);
    workers.shutdownNow();
    workers.awaitTermination(10, TimeUnit.SECONDS);
    return perSecond;
  }

  static double baselineRound(StateStore store, int jobs, int round) throws Exception {
    CountDownLatch finished = new CountDownLatch(jobs);
    OneTimeTask<Void> task = Tasks.oneTime("bench", Void.class).execute((inst, ctx) -> finished.countDown());
    Scheduler scheduler = Scheduler.create(store.dataSource(), task).threads(4).pollingInterval(Duration.ofMillis(50))
        .pollUsingLockAndFetch(0.5, 1.0).build();
    scheduler.start();
    try {
      long t0 = System.nanoTime();
      for (int i = 0; i < jobs; i++) {
        scheduler.schedule(task.instance("r" + round + "-" + i), Instant.now());
      }
      finished.await(10, TimeUnit.MINUTES);
      return jobs / ((System.nanoTime() - t0) / 1e9);
    } finally {
      scheduler.stop();
    }
  }

  private static String dbSchedulerVersion() {
    try (var in = AlertBench.class.getResourceAsStream("/META-INF/maven/com.github.kagkarlsson/db-scheduler/pom.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length == 0 ? Double.NaN : s[s.length / 2];
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Double::compare);
    return s.get(s.size() / 2);
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static void admin(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(PG_ADMIN, "postgres", ""); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** A clock the CPU case moves by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

}
