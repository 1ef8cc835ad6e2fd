package dev.vigil.alert.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.alert.Alert;
import dev.vigil.alert.queue.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Anomaly, forecast, increase and age rules, templates, and reading a Micrometer registry. */
class RuleKindsTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final MutableClock clock = new MutableClock(T0);
  final AtomicReference<Double> value = new AtomicReference<>(0.0);
  final MetricSource source = m -> List.of(Series.of(value.get()));

  private Rule rule(Rule.Kind kind, Op op, double threshold, Duration window, Duration horizon) {
    return new Rule("R", kind, "m", Map.of(), op, threshold, Duration.ZERO, 0, "warning", Map.of(),
        Map.of("en", "v={{ value }} t={{ threshold }} {{ nope }}"), Map.of(), window, horizon, false);
  }

  private List<Alert> step(RuleEngine e, double v, Duration d) {
    value.set(v);
    clock.advance(d);
    return e.evaluate();
  }

  @Test
  void forecastFiresWhenTheTrendReachesTheLineWithinTheHorizon() {
    RuleEngine e = new RuleEngine(List.of(rule(Rule.Kind.FORECAST, Op.GE, 100, Duration.ofHours(6), Duration.ofHours(24))),
        source, clock);
    // 1 % per hour from 50 %: 100 % in 50 h, beyond 24 h
    for (int i = 0; i < 30; i++) {
      assertThat(step(e, 50 + i * (1.0 / 6), Duration.ofMinutes(10))).isEmpty();
    }
    // 3 % per hour from 60 %: 100 % in ~13 h
    List<Alert> out = List.of();
    for (int i = 0; i < 30; i++) {
      out = step(e, 60 + i * 0.5, Duration.ofMinutes(10));
    }
    assertThat(out).singleElement().satisfies(a -> {
      assertThat(a.state()).isEqualTo(Alert.State.FIRING);
      assertThat(a.value()).isGreaterThan(100);
      assertThat(a.annotations().get("summary")).startsWith("v=").contains("t=100").contains("{{ nope }}");
    });
  }

  @Test
  void anomalyFiresOnASpikeAndNotOnNoise() {
    RuleEngine e = new RuleEngine(List.of(rule(Rule.Kind.ANOMALY, Op.GT, 4, Duration.ofHours(1), null)), source, clock);
    for (int i = 0; i < 60; i++) {
      assertThat(step(e, 100 + (i % 5), Duration.ofSeconds(10))).isEmpty();
    }
    assertThat(step(e, 180, Duration.ofSeconds(10))).singleElement()
        .satisfies(a -> assertThat(a.state()).isEqualTo(Alert.State.FIRING));
    assertThat(step(e, 101, Duration.ofSeconds(10))).singleElement()
        .satisfies(a -> assertThat(a.state()).isEqualTo(Alert.State.RESOLVED));
  }

  @Test
  void increaseOverTheWindowAndAge() {
    RuleEngine inc = new RuleEngine(List.of(rule(Rule.Kind.INCREASE, Op.GT, 0, Duration.ofHours(1), null)), source, clock);
    assertThat(step(inc, 3, Duration.ofMinutes(1))).isEmpty();
    assertThat(step(inc, 3, Duration.ofMinutes(1))).isEmpty();
    assertThat(step(inc, 4, Duration.ofMinutes(1))).singleElement().satisfies(a -> assertThat(a.value()).isEqualTo(1));
    // an hour later the failure is out of the window: resolved
    List<Alert> last = List.of();
    for (int i = 0; i < 62; i++) {
      last = step(inc, 4, Duration.ofMinutes(1));
      if (!last.isEmpty() && last.get(0).state() == Alert.State.RESOLVED) {
        break;
      }
    }
    assertThat(last).singleElement().satisfies(a -> assertThat(a.state()).isEqualTo(Alert.State.RESOLVED));

    RuleEngine age = new RuleEngine(List.of(rule(Rule.Kind.AGE, Op.GT, 26 * 3600, Duration.ofHours(1), null)), source, clock);
    double lastBackup = clock.instant().getEpochSecond();
    assertThat(step(age, lastBackup, Duration.ofHours(25))).isEmpty();
    assertThat(step(age, lastBackup, Duration.ofHours(2))).singleElement()
        .satisfies(a -> assertThat(a.value()).isEqualTo(27 * 3600));
  }

  @Test
  void rulesAreValidated() {
    assertThatThrownBy(() -> new Rule("bad name", Rule.Kind.THRESHOLD, "m", null, Op.GT, 1, null, 0, null, null, null,
        null, null, null, false)).hasMessageContaining("rule name");
    assertThatThrownBy(() -> new Rule("X", Rule.Kind.THRESHOLD, "m", null, Op.GT, 1, null, 0, "page", null, null,
        null, null, null, false)).hasMessageContaining("severity");
    assertThatThrownBy(() -> Op.parse("=>")).hasMessageContaining("> >= < <= == !=");
    assertThatThrownBy(() -> new RuleEngine(List.of(rule(Rule.Kind.THRESHOLD, Op.GT, 1, null, null),
        rule(Rule.Kind.THRESHOLD, Op.GT, 2, null, null)), source, clock)).hasMessageContaining("two alert rules are named R");
  }

  @Test
  void registrySourceReadsMetersAndDerivesRatios() {
    MeterRegistry registry = new SimpleMeterRegistry();
    AtomicReference<Double> degraded = new AtomicReference<>(1.0);
    Gauge.builder("vigil.cache.degraded", degraded, AtomicReference::get).register(registry);
    Counter failures = Counter.builder("vigil.backup.failures").tag("database", "erp").register(registry);
    failures.increment(2);
    Timer ok = Timer.builder("http.server.requests").tag("status", "200").register(registry);
    Timer err = Timer.builder("http.server.requests").tag("status", "503").register(registry);
    Counter hits = Counter.builder("vigil.cache.gets").tag("result", "hit").register(registry);
    Counter misses = Counter.builder("vigil.cache.gets").tag("result", "miss").register(registry);
    RegistryMetricSource s = new RegistryMetricSource(registry, clock, Duration.ofMinutes(5));
    assertThat(s.read("vigil_cache_degraded")).singleElement().satisfies(x -> assertThat(x.value()).isEqualTo(1));
    assertThat(s.read("vigil_backup_failures_total")).singleElement().satisfies(x -> {
      assertThat(x.value()).isEqualTo(2);
      assertThat(x.labels()).containsEntry("database", "erp");
    });
    assertThat(s.read("vigil_http_error_ratio")).isEmpty();
    assertThat(s.read("vigil_cache_hit_ratio")).isEmpty();
    for (int i = 0; i < 98; i++) {
      ok.record(5, TimeUnit.MILLISECONDS);
    }
    err.record(5, TimeUnit.MILLISECONDS);
    err.record(5, TimeUnit.MILLISECONDS);
    hits.increment(80);
    misses.increment(20);
    clock.advance(Duration.ofSeconds(30));
    assertThat(s.read("vigil_http_error_ratio")).singleElement().satisfies(x -> {
      assertThat(x.labels()).containsEntry("scope", "api");
      assertThat(x.value()).isEqualTo(0.02);
    });
    assertThat(s.read("vigil_cache_hit_ratio")).singleElement().satisfies(x -> assertThat(x.value()).isEqualTo(0.8));
    assertThat(s.read("http_server_requests_seconds_count")).hasSize(2);
  }
}
