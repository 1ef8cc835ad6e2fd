package dev.vigil.alert;

import static dev.vigil.alert.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.alert.queue.Job;
import dev.vigil.alert.queue.MutableClock;
import dev.vigil.alert.route.Matcher;
import dev.vigil.alert.route.Silence;
import dev.vigil.core.store.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules → routes → queued notifications, on an injected clock. */
class RoutingTest {
  static final String CONFIG = """
      builtin: {enabled: false}
      receivers:
        ops-hook:  {type: webhook, url: "http://127.0.0.1:9/hook", secret: "${HOOK_SECRET}"}
        team-mail: {type: email, to: ["ops@example.com"], smtp: {host: 127.0.0.1, port: 2525, username: vigil, password: "${SMTP_PASSWORD}", starttls: true}}
      route:
        receiver: ops-hook
        group_by: [alertname]
        group_wait: 30s
        group_interval: 5m
        repeat_interval: 4h
        routes:
          - {matchers: ['severity="critical"'], receiver: team-mail}
      inhibit_rules:
        - {source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: [instance]}
      rules:
        - name: HighCpu
          metric: cpu_percent
          op: ">"
          threshold: 90
          for: 5m
          hysteresis: 5
          severity: warning
          labels: {instance: host1}
          summary: "CPU at {{ value }}%"
          summary_ar: "المعالج عند {{ value }}٪"
        - name: DiskCritical
          metric: disk_percent
          op: ">"
          threshold: 95
          severity: critical
          labels: {instance: host1}
          summary: "Disk {{ value }}% full"
      """;
  static final Map<String, String> ENV = Map.of("HOOK_SECRET", "hook-s3cret", "SMTP_PASSWORD", "smtp-s3cret");
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  @TempDir Path dir;
  StateStore store;
  MutableClock clock;
  Fixtures.Values values;
  AlertEngine engine;

  @BeforeEach
  void open() {
    store = StateStore.open(null, dir);
    clock = new MutableClock(T0);
    values = new Fixtures.Values();
    engine = new AlertEngine(Fixtures.config(CONFIG, ENV), store, values, clock);
  }

  @AfterEach
  void close() {
    engine.close();
    store.close();
  }

  private List<Job> jobs(String receiver) {
    List<Job> l = new java.util.ArrayList<>(engine.queue().jobs(receiver, null, 100));
    java.util.Collections.reverse(l);
    return l;
  }

  @Test
  void pendingFiringGroupWaitRepeatAndResolved() {
    values.set("cpu_percent", 97);
    values.set("disk_percent", 50);
    run(engine, clock, Duration.ofMinutes(4), Duration.ofSeconds(10));
    assertThat(engine.alerts()).singleElement().satisfies(v -> assertThat(v.alert().state()).isEqualTo(Alert.State.PENDING));
    assertThat(jobs("ops-hook")).isEmpty();
    // fires at 5 min, group_wait 30 s later the first notification
    List<Notification> sent = run(engine, clock, Duration.ofMinutes(2), Duration.ofSeconds(10));
    assertThat(sent).singleElement().satisfies(n -> {
      assertThat(n.status()).isEqualTo("firing");
      assertThat(n.receiver()).isEqualTo("ops-hook");
      assertThat(n.alerts().get(0).annotations()).containsEntry("summary", "CPU at 97%")
          .containsEntry("summary_ar", "المعالج عند 97٪");
      assertThat(n.commonLabels()).containsEntry("instance", "host1").containsEntry("alertname", "HighCpu");
    });
    // unchanged: nothing until repeat_interval (4 h)
    assertThat(run(engine, clock, Duration.ofHours(3), Duration.ofMinutes(1))).isEmpty();
    assertThat(run(engine, clock, Duration.ofMinutes(61), Duration.ofMinutes(1))).hasSize(1);
    // back below threshold - hysteresis: one resolved notice
    values.set("cpu_percent", 50);
    sent = run(engine, clock, Duration.ofMinutes(10), Duration.ofSeconds(10));
    assertThat(sent).singleElement().satisfies(n -> {
      assertThat(n.status()).isEqualTo("resolved");
      assertThat(n.alerts().get(0).endsAt()).isNotNull();
    });
    assertThat(jobs("ops-hook")).hasSize(3);
    assertThat(jobs("team-mail")).isEmpty();
  }

  @Test
  void flappingInsideHysteresisSendsNoStorm() {
    values.set("disk_percent", 10);
    values.set("cpu_percent", 97);
    run(engine, clock, Duration.ofMinutes(6), Duration.ofSeconds(10));
    assertThat(jobs("ops-hook")).hasSize(1);
    for (int i = 0; i < 360; i++) {
      values.set("cpu_percent", i % 2 == 0 ? 88 : 93);
      clock.advance(Duration.ofSeconds(10));
      engine.evaluate();
    }
    assertThat(jobs("ops-hook")).hasSize(1);
    assertThat(engine.alerts()).singleElement().satisfies(v -> assertThat(v.alert().state()).isEqualTo(Alert.State.FIRING));
  }

  @Test
  void flappingAcrossTheLineBeforeForNeverFires() {
    values.set("disk_percent", 10);
    for (int i = 0; i < 100; i++) {
      values.set("cpu_percent", i % 10 == 9 ? 50 : 97);
      clock.advance(Duration.ofSeconds(30));
      engine.evaluate();
    }
    assertThat(jobs("ops-hook")).isEmpty();
  }

  @Test
  void criticalGoesToItsRouteAndInhibitsTheWarning() {
    values.set("cpu_percent", 97);
    values.set("disk_percent", 99);
    run(engine, clock, Duration.ofMinutes(10), Duration.ofSeconds(10));
    assertThat(jobs("team-mail")).singleElement().satisfies(j -> assertThat(j.payload()).contains("DiskCritical"));
    assertThat(jobs("ops-hook")).isEmpty();
    assertThat(engine.alerts()).filteredOn(v -> v.alert().name().equals("HighCpu"))
        .singleElement().satisfies(v -> assertThat(v.inhibited()).isTrue());
    assertThat(jobs("team-mail").get(0).priority()).isGreaterThan(20);
    // the critical resolves: the warning is no longer inhibited and gets notified
    values.set("disk_percent", 10);
    run(engine, clock, Duration.ofMinutes(6), Duration.ofSeconds(10));
    assertThat(jobs("ops-hook")).singleElement().satisfies(j -> assertThat(j.payload()).contains("HighCpu"));
    assertThat(jobs("team-mail")).hasSize(2);
  }

  @Test
  void silencesHoldAndExpire() {
    Silence s = engine.silences().create(List.of(Matcher.parse("alertname=\"HighCpu\"")), null,
        T0.plus(Duration.ofHours(1)), "alice", "maintenance window");
    values.set("disk_percent", 10);
    values.set("cpu_percent", 97);
    run(engine, clock, Duration.ofMinutes(30), Duration.ofSeconds(10));
    assertThat(jobs("ops-hook")).isEmpty();
    assertThat(engine.alerts()).singleElement().satisfies(v -> assertThat(v.silenced()).isTrue());
    assertThat(engine.silences().all()).singleElement().satisfies(x -> {
      assertThat(x.createdBy()).isEqualTo("alice");
      assertThat(x.state(clock.instant())).isEqualTo("active");
    });
    assertThat(engine.silences().expire(s.id())).isTrue();
    assertThat(engine.silences().expire(s.id())).isFalse();
    run(engine, clock, Duration.ofMinutes(6), Duration.ofSeconds(10));
    assertThat(jobs("ops-hook")).hasSize(1);
    assertThatThrownBy(() -> engine.silences().create(List.of(Matcher.parse("alertname=~\".*\"")), null,
        clock.instant().plusSeconds(60), "bob", "all")).hasMessageContaining("must not match every alert");
    assertThatThrownBy(() -> engine.silences().create(List.of(Matcher.parse("alertname=\"X\"")), null,
        clock.instant().minusSeconds(60), "bob", "past")).hasMessageContaining("must end after");
    assertThatThrownBy(() -> engine.silences().create(List.of(Matcher.parse("alertname=\"X\"")), null,
        clock.instant().plusSeconds(60), " ", "who")).hasMessageContaining("author");
  }

  @Test
  void silencesSurviveARestart() {
    engine.silences().create(List.of(Matcher.parse("instance=\"host1\"")), null, T0.plus(Duration.ofDays(1)), "alice", "db move");
    engine.close();
    engine = new AlertEngine(Fixtures.config(CONFIG, ENV), store, values, clock);
    assertThat(engine.silences().all()).singleElement().satisfies(s -> assertThat(s.comment()).isEqualTo("db move"));
  }

  @Test
  void directAlertsAndNotifyAdmin() {
    engine.notifyAdmin("Nightly report ready");
    run(engine, clock, Duration.ofMinutes(1), Duration.ofSeconds(10));
    assertThat(jobs("ops-hook")).singleElement().satisfies(j -> assertThat(j.payload()).contains("Nightly report ready"));
    engine.alert("critical", "Payment gateway down");
    run(engine, clock, Duration.ofMinutes(1), Duration.ofSeconds(10));
    assertThat(jobs("team-mail")).singleElement().satisfies(j -> assertThat(j.payload()).contains("Payment gateway down"));
    // the critical (no instance label) inhibits the warning notice (no instance label either)
    assertThat(engine.alerts()).filteredOn(v -> v.alert().name().equals("AdminNotice"))
        .singleElement().satisfies(v -> assertThat(v.inhibited()).isTrue());
    engine.resolve("ApplicationAlert");
    run(engine, clock, Duration.ofMinutes(6), Duration.ofSeconds(10));
    assertThat(jobs("team-mail")).hasSize(2);
    assertThatThrownBy(() -> engine.alert("urgent", "x")).hasMessageContaining("critical, warning or info");
  }

  @Test
  void configErrorsNameTheSetting() {
    assertThatThrownBy(() -> Fixtures.config("""
        receivers: {a: {type: webhook, url: "http://127.0.0.1/"}}
        route: {receiver: b}
        """, Map.of())).hasMessageContaining("alerts.route names receiver b");
    assertThatThrownBy(() -> Fixtures.config("""
        receivers: {a: {type: webhook, url: "http://127.0.0.1/", secret: "${NOPE}"}}
        """, Map.of())).hasMessageContaining("NOPE").hasMessageContaining("alerts.receivers.a.secret");
    assertThatThrownBy(() -> Fixtures.config("""
        rules: [{name: X, metric: cpu_percent, op: ">", threshold: 1, for: 5 minutes}]
        """, Map.of())).hasMessageContaining("alerts.rules[0]").hasMessageContaining("5 minutes");
    assertThatThrownBy(() -> Fixtures.config("""
        receivers: {a: {type: pager}}
        """, Map.of())).hasMessageContaining("alerts.receivers.a.type");
    assertThatThrownBy(() -> Fixtures.config("""
        builtin: {disabled: [NoSuchRule]}
        """, Map.of())).hasMessageContaining("NoSuchRule");
    AlertsConfig defaults = Fixtures.config("{}", Map.of());
    assertThat(defaults.rules()).extracting(r -> r.name()).contains("HostCpuCritical", "BackupStale", "AuditChainTampered",
        "CacheHitRateLow", "ApiLatencyP95", "HostDiskFullSoon");
    assertThat(defaults.route()).isNull();
  }
}
