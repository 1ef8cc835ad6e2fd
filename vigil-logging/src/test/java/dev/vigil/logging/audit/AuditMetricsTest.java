package dev.vigil.logging.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.core.store.StateStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit meters: records counted, the chain verified in the background, a tampered file reported as 0. */
class AuditMetricsTest {
  @Test
  void chainStatusAndRecordsUnderPrometheusNames(@TempDir Path dir) throws Exception {
    AuditOptions options = AuditOptions.defaults("vigil", dir.resolve("logs"), dir.resolve("data"));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    try (StateStore store = StateStore.open(null, dir.resolve("store"));
        AuditLog log = AuditLog.open(options, store)) {
      for (int i = 1; i <= 5; i++) {
        log.log("TEST", "user", "thing.update", "thing:" + i, Map.of("n", i), null);
      }
      try (AuditMetrics metrics = new AuditMetrics(log, clock, Duration.ofHours(1))) {
        metrics.bindTo(registry);
        assertThat(registry.scrape()).contains("vigil_audit_chain_intact NaN", "vigil_audit_records_total 5.0");
        metrics.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.scrape().contains("vigil_audit_chain_intact 1.0"));
        assertThat(registry.scrape()).contains("vigil_audit_last_verify_timestamp_seconds "
            + (double) clock.instant().getEpochSecond());

        Path file = dir.resolve("logs/vigil_audit.log");
        List<String> lines = Files.readAllLines(file);
        lines.set(2, lines.get(2).replace("\"thing:3\"", "\"thing:9\""));
        Files.write(file, lines, StandardCharsets.UTF_8);
        assertThat(metrics.verifyNow().ok()).isFalse();
        assertThat(registry.scrape()).contains("vigil_audit_chain_intact 0.0");
      }
    }
  }
}
