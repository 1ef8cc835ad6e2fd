package dev.vigil.optimizer.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.cache.CacheManager;
import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.MutableClock;
import dev.vigil.insight.DatabaseInsight;
import dev.vigil.insight.InsightSettings;
import dev.vigil.insight.testing.ErpWorkload;
import dev.vigil.insight.testing.PgInstance;
import dev.vigil.optimizer.ActionRecord;
import dev.vigil.optimizer.Family;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Optimizer;
import dev.vigil.optimizer.OptimizerHooks;
import dev.vigil.optimizer.OptimizerOptions;
import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.Proposal;
import dev.vigil.optimizer.RunReport;
import dev.vigil.optimizer.Tuning;
import dev.vigil.optimizer.testing.ErpApp;
import dev.vigil.proxy.AppProxy;
import dev.vigil.proxy.CacheRuleInfo;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.RouteSample;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response-time family on an ERP-like PostgreSQL workload behind a real Flask application, through
 * Vigil's proxy: at {@code high} the slow report route gets a cache rule and is at least 5× faster at
 * p95, kept with before/after figures; a route whose answers change every call is never proposed, and a
 * rule forced on it is rolled back by itself within its observation window; a dry run changes nothing;
 * the slow route is linked to the query shape it waits on.
 */
class ResponseTimeTest {
  private static final String DB = "erp";
  private static final String SALES = ErpApp.SALES;
  private static final String LIVE = ErpApp.LIVE;
  private static final String MINE = ErpApp.MINE;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  static PgInstance pg;
  static ErpApp app;
  @TempDir
  Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final List<String> audited = new ArrayList<>();
  private CacheManager cache;
  private AppProxy proxy;
  private StateStore store;

  @BeforeAll
  static void startApp() throws Exception {
    pg = PgInstance.start();
    pg.exec("postgres", "CREATE DATABASE " + DB);
    pg.exec(DB, "CREATE EXTENSION pg_stat_statements");
    new ErpWorkload(200_000).load(pg, DB);
    app = ErpApp.start("host=127.0.0.1 port=" + pg.port() + " dbname=" + DB + " user=postgres");
  }

  @AfterAll
  static void stopApp() throws Exception {
    if (app != null) {
      app.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @BeforeEach
  void startProxy() throws Exception {
    cache = CacheManager.builder().clock(clock).build();
    proxy = AppProxy.start(ProxyConfig.builder(app.url()).listen("127.0.0.1", 0).build(), cache, null, clock);
    store = StateStore.open(null, dir.resolve("state"));
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
    cache.close();
    store.close();
  }

  private Optimizer optimizer(Tuning... tunings) {
    OptimizerOptions options = OptimizerOptions.defaults().withClock(clock)
        .withWindows(Duration.ofMinutes(5), Duration.ofMinutes(10)).withMinSamples(20);
    return new Optimizer(options, List.of(tunings), new OptimizerHooks() {
      @Override
      public void audit(String action, String resource, String outcome, Map<String, Object> facts) {
        audited.add(action + " " + resource + " " + outcome);
      }

      @Override
      public void checkpoint(String label) {
        throw new IllegalStateException("no checkpoint below aggressive");
      }

      @Override
      public boolean busy() {
        return false;
      }
    }, store);
  }

  /** Slow from {@code slowMs}: the test machine's speed must not decide whether a route counts as slow. */
  private ProxyCacheTuning tuning(double slowMs) {
    return new ProxyCacheTuning(proxy, clock, Duration.ofMinutes(5), 20, slowMs, Duration.ofSeconds(30));
  }

  /** GETs through the proxy, 300 ms of the clock apart (so every call is a sample). */
  private List<HttpResponse<String>> drive(int times, String... paths) throws Exception {
    List<HttpResponse<String>> out = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      for (String path : paths) {
        clock.advance(Duration.ofMillis(300));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port()
            + path)).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        out.add(r);
      }
    }
    return out;
  }

  private double p95(String route, Instant from, Instant to) {
    return RouteFigures.p95(proxy.samples(route, from, to).stream().mapToDouble(RouteSample::ms).toArray());
  }

  @Test
  void atHighTheSlowReportGetsACacheRuleAndIsFiveTimesFasterAtP95WhileADryRunChangesNothing() throws Exception {
    drive(40, SALES, LIVE, MINE);
    Optimizer optimizer = optimizer(tuning(20));

    List<CacheRuleInfo> rulesBefore = proxy.cacheRules();
    RunReport dry = optimizer.run(Level.HIGH, false, true, "test");
    assertThat(dry.items()).singleElement().satisfies(i -> {
      assertThat(i.outcome()).isEqualTo(RunReport.Outcome.DRY_RUN);
      assertThat(i.proposal().details()).containsEntry("route", SALES);
    });
    assertThat(proxy.cacheRules()).isEqualTo(rulesBefore).isEmpty();
    assertThat(optimizer.history(10)).isEmpty();
    assertThat(optimizer.run(Level.MEDIUM, true, false, "test").items()).singleElement()
        .satisfies(i -> assertThat(i.outcome()).isEqualTo(RunReport.Outcome.NEEDS_LEVEL));
    assertThat(proxy.cacheRules()).isEmpty();

    RunReport high = optimizer.run(Level.HIGH, false, false, "job:optimizer");
    assertThat(high.items()).singleElement().satisfies(i -> {
      assertThat(i.outcome()).isEqualTo(RunReport.Outcome.APPLIED);
      assertThat(i.proposal().family()).isEqualTo(Family.RESPONSE_TIME);
      assertThat(i.proposal().level()).isEqualTo(Level.HIGH);
      assertThat(i.proposal().reason()).contains("the same answer on all");
    });
    Instant appliedAt = clock.instant();
    assertThat(proxy.summary().cacheRules()).singleElement().satisfies(r -> {
      assertThat(r.path()).isEqualTo(SALES);
      assertThat(r.source()).isEqualTo(CacheRuleInfo.RUNTIME);
      assertThat(r.addedBy()).isEqualTo(ProxyCacheTuning.ADDED_BY);
    });

    drive(60, SALES);
    List<ActionRecord> decided = optimizer.observe();
    double before = p95(SALES, appliedAt.minus(Duration.ofMinutes(5)), appliedAt);
    double after = p95(SALES, appliedAt, clock.instant().plusMillis(1));
    System.out.printf(Locale.ROOT, "GET %s p95 through the proxy: %.1f ms before, %.2f ms after (%.0fx)%n", SALES,
        before, after, before / after);
    assertThat(before).isGreaterThanOrEqualTo(20);
    assertThat(before / after).isGreaterThanOrEqualTo(5);
    assertThat(decided).singleElement().satisfies(a -> {
      assertThat(a.status()).isEqualTo(ActionRecord.Status.KEPT);
      assertThat(a.before()).isGreaterThan(a.after() * 5);
      assertThat(a.confidence()).isGreaterThan(0.99);
      assertThat(a.decision()).contains("improved");
    });
    assertThat(optimizer.history(10)).singleElement().satisfies(a -> {
      assertThat(a.before()).isNotNull();
      assertThat(a.after()).isNotNull();
    });
    assertThat(audited).hasSize(2).allSatisfy(s -> assertThat(s).contains(SALES));
    assertThat(optimizer.run(Level.HIGH, false, false, "job:optimizer").items()).singleElement()
        .satisfies(i -> assertThat(i.outcome()).isEqualTo(RunReport.Outcome.ACTIVE));

    // after a restart of the proxy the kept rule is added again from the history
    proxy.close();
    proxy = AppProxy.start(ProxyConfig.builder(app.url()).listen("127.0.0.1", 0).build(), cache, null, clock);
    assertThat(proxy.cacheRules()).isEmpty();
    optimizer(tuning(20)).recover();
    assertThat(proxy.cacheRules()).extracting(CacheRuleInfo::path).containsExactly(SALES);
  }

  @Test
  void aRouteWhoseAnswersChangeIsNeverProposedAndARuleForcedOnItIsRolledBackByItself() throws Exception {
    List<HttpResponse<String>> live = drive(40, LIVE, MINE);
    assertThat(live.get(0).body()).isNotEqualTo(live.get(2).body());
    // slow from 1 ms: both routes count as slow and hot, yet neither is proposed
    ProxyCacheTuning tuning = tuning(1);
    assertThat(tuning.propose()).isEmpty();
    Instant from = clock.instant().minus(Duration.ofMinutes(5));
    // a request's sample is kept when its log record is written, just after the client has its answer
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.samples(MINE, from, clock.instant().plusMillis(1)).size()
        == 40 && proxy.samples(LIVE, from, clock.instant().plusMillis(1)).size() == 40);
    RouteFigures mine = RouteFigures.of(proxy.samples(MINE, from, clock.instant().plusMillis(1)));
    assertThat(mine.personal()).isEqualTo(mine.calls()).isEqualTo(40);
    RouteFigures changing = RouteFigures.of(proxy.samples(LIVE, from, clock.instant().plusMillis(1)));
    assertThat(changing.changes()).isEqualTo(changing.repeats()).isEqualTo(39);

    Optimizer optimizer = optimizer(forcing(tuning, LIVE));
    RunReport run = optimizer.run(Level.HIGH, false, false, "test");
    assertThat(run.items()).singleElement().satisfies(i -> assertThat(i.outcome()).isEqualTo(RunReport.Outcome.APPLIED));
    assertThat(proxy.cacheRules()).extracting(CacheRuleInfo::path).containsExactly(LIVE);

    drive(40, LIVE);
    List<ActionRecord> decided = optimizer.observe();
    assertThat(decided).singleElement().satisfies(a -> {
      assertThat(a.status()).isEqualTo(ActionRecord.Status.ROLLED_BACK);
      assertThat(a.decision()).contains("harmed").contains("new answer");
      assertThat(a.decidedAt()).isBefore(a.observeUntil());
    });
    assertThat(proxy.cacheRules()).isEmpty();
    List<HttpResponse<String>> after = drive(2, LIVE);
    assertThat(after.get(0).headers().firstValue("X-Vigil-Cache")).isEmpty();
    assertThat(after.get(0).body()).isNotEqualTo(after.get(1).body());
  }

  @Test
  void aSlowRouteIsLinkedToTheQueryShapeItWaitsOn() throws Exception {
    DatabaseInsight insight = DatabaseInsight.open(DB, DatabaseUrl.parse(pg.url("postgres", DB)), store,
        InsightSettings.DEFAULTS, clock);
    pg.exec(DB, "SELECT pg_stat_statements_reset()");
    insight.snapshot();
    for (int minute = 0; minute < 8; minute++) {
      int sales = 3 + 3 * (minute % 3);
      int orders = 12 - sales;
      Instant end = clock.instant().plus(Duration.ofMinutes(1));
      drive(sales, SALES);
      for (int i = 0; i < orders; i++) {
        drive(1, "/api/orders/" + (100 + i));
      }
      clock.advance(Duration.between(clock.instant(), end));
      insight.snapshot();
    }
    RouteQueriesTuning links = new RouteQueriesTuning(proxy, new InsightShapeSeries(() -> List.of(insight), 50), clock,
        Duration.ofMinutes(10), Duration.ofMinutes(1), 10, 20, 0.9);
    RunReport report = optimizer(links).run(Level.HIGH, false, false, "test");
    assertThat(report.problems()).isEmpty();
    // on a slow machine the orders route may count as slow too; it is then linked to its own query
    assertThat(report.items()).filteredOn(i -> SALES.equals(i.proposal().details().get("route"))).singleElement()
        .satisfies(i -> {
          assertThat(i.outcome()).isEqualTo(RunReport.Outcome.REPORTED);
          Proposal p = i.proposal();
          assertThat(p.level()).isEqualTo(Level.LOW);
          assertThat(p.details()).containsEntry("route", SALES);
          @SuppressWarnings("unchecked")
          List<Map<String, Object>> shapes = (List<Map<String, Object>>) p.details().get("shapes");
          assertThat((String) shapes.get(0).get("query")).contains("JOIN customers");
          assertThat((Double) shapes.get(0).get("correlation")).isGreaterThan(0.9);
          assertThat(p.reason()).contains("SELECT c.city").contains("r=");
        });
  }

  /** A tuning that proposes a rule on {@code route} whatever its figures: the planted harmful change. */
  private static Tuning forcing(ProxyCacheTuning tuning, String route) {
    return new Tuning() {
      @Override
      public String name() {
        return tuning.name();
      }

      @Override
      public Family family() {
        return tuning.family();
      }

      @Override
      public List<Proposal> propose() {
        return List.of(tuning.forced(route, "planted: a rule on a route whose answers change every call"));
      }

      @Override
      public Map<String, String> apply(Proposal proposal) {
        return tuning.apply(proposal);
      }

      @Override
      public void undo(Proposal proposal, Map<String, String> undo) {
        tuning.undo(proposal, undo);
      }

      @Override
      public Probe probe(Proposal proposal) {
        return tuning.probe(proposal);
      }

      @Override
      public List<Probe> guards(Proposal proposal) {
        return tuning.guards(proposal);
      }
    };
  }
}
