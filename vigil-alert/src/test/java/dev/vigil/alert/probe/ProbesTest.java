package dev.vigil.alert.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.alert.queue.MutableClock;
import dev.vigil.alert.rule.Series;
import dev.vigil.core.store.StateStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Endpoint checks against a real local HTTP server; SLO budgets and burn rates on an injected clock. */
class ProbesTest {
  @TempDir Path dir;

  @Test
  void checksStatusKeywordAndTimeout() throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext("/", ex -> {
      byte[] body = "<h1>Welcome to the ERP</h1>".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status.get(), body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    app.createContext("/slow", ex -> {
      try {
        Thread.sleep(1500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    app.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
    app.start();
    String base = "http://127.0.0.1:" + app.getAddress().getPort();
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    try (StateStore store = StateStore.open(null, dir)) {
      Probes probes = Probes.parse(com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree("""
          [{"name": "erp-home", "url": "%1$s/", "interval": "30s", "timeout": "5s", "expect_status": 200, "expect_keyword": "Welcome"},
           {"name": "erp-slow", "url": "%1$s/slow", "interval": "30s", "timeout": "300ms"}]
          """.formatted(base)), store, clock);
      Probe home = probes.probes().get(0);
      assertThat(probes.check(home).up()).isTrue();
      status.set(503);
      clock.advance(Duration.ofSeconds(30));
      ProbeResult down = probes.check(home);
      assertThat(down.up()).isFalse();
      assertThat(down.error()).isEqualTo("answered HTTP 503, expected 200");
      ProbeResult slow = probes.check(probes.probes().get(1));
      assertThat(slow.up()).isFalse();
      assertThat(slow.error()).isEqualTo("timed out after 300 ms");
      assertThat(probes.read("vigil_probe_up")).extracting(Series::value).containsExactlyInAnyOrder(0.0, 0.0);
      Probes.Status st = probes.status().get(0);
      assertThat(st.uptime24h()).isEqualTo(0.5);
      assertThat(st.checks24h()).isEqualTo(2);
      assertThat(probes.history("erp-home", 10)).hasSize(2);
    } finally {
      app.stop(0);
      ((java.util.concurrent.ExecutorService) app.getExecutor()).shutdownNow();
    }
  }

  @Test
  void errorBudgetAndMultiWindowBurnRates() {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    try (StateStore store = StateStore.open(null, dir)) {
      Probe p = new Probe("api", "http://127.0.0.1:1/", Duration.ofSeconds(30), Duration.ofSeconds(5), 200, null);
      Slo slo = new Slo("api", "api", 0.999, 200, Duration.ofDays(30));
      Probes probes = new Probes(store, clock, List.of(p), List.of(slo));
      // 6 hours of good checks every 30 s
      for (int i = 0; i < 720; i++) {
        clock.advance(Duration.ofSeconds(30));
        probes.record(new ProbeResult("api", clock.instant(), true, 200, 50, null, null));
      }
      Probes.SloStatus ok = probes.sloStatus().get(0);
      assertThat(ok.sli()).isEqualTo(1.0);
      assertThat(ok.errorBudgetRemaining()).isEqualTo(1.0);
      assertThat(ok.fastBurn()).isFalse();
      // then 10 minutes all bad (slow answers count as bad under the 200 ms latency objective)
      for (int i = 0; i < 20; i++) {
        clock.advance(Duration.ofSeconds(30));
        probes.record(new ProbeResult("api", clock.instant(), true, 200, 900, null, null));
      }
      Probes.SloStatus burning = probes.sloStatus().get(0);
      assertThat(burning.burnRates().get("5m")).isCloseTo(1000.0, org.assertj.core.api.Assertions.within(0.01));
      assertThat(burning.burnRates().get("1h")).isGreaterThan(Probes.FAST_BURN);
      assertThat(burning.fastBurn()).isTrue();
      assertThat(burning.errorBudgetRemaining()).isLessThan(0);
      assertThat(probes.read("vigil_slo_fast_burn")).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(1));
      // recovery: 10 good minutes end the fast burn (5 m window clean) though the 1 h window still burns
      for (int i = 0; i < 20; i++) {
        clock.advance(Duration.ofSeconds(30));
        probes.record(new ProbeResult("api", clock.instant(), true, 200, 40, null, null));
      }
      assertThat(probes.sloStatus().get(0).fastBurn()).isFalse();
      assertThat(probes.sloStatus().get(0).burnRates().get("1h")).isGreaterThan(Probes.FAST_BURN);
    }
    // one failed first check is not a page
    MutableClock fresh = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    try (StateStore store = StateStore.open(null, dir.resolve("fresh"))) {
      Probe p = new Probe("api", "http://127.0.0.1:1/", Duration.ofSeconds(30), Duration.ofSeconds(5), 200, null);
      Probes probes = new Probes(store, fresh, List.of(p), List.of(new Slo("api", "api", 0.999, 0, null)));
      probes.record(new ProbeResult("api", fresh.instant(), false, 0, 5000, "timed out after 5000 ms", null));
      assertThat(probes.sloStatus().get(0).fastBurn()).isFalse();
    }
    assertThatThrownBy(() -> new Probe("x", "ftp://h/", null, null, 200, null)).hasMessageContaining("http(s)");
    assertThatThrownBy(() -> new Slo("x", "x", 1.5, 0, null)).hasMessageContaining("objective");
  }
}
