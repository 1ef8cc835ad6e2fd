package dev.vigil.monitor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.testing.MutableClock;
import dev.vigil.monitor.testing.SteerableMetricSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The host gauges as a Prometheus scrape shows them. */
class HostMetricsBinderTest {

  @Test
  void scrapeUsesPrometheusNamesAndBaseUnits() {
    SteerableMetricSource source = new SteerableMetricSource().cpu(42).ram(25).disk("/data", 80);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (SystemMonitor monitor = SystemMonitor.builder().source(source).clock(MutableClock.at("2026-01-01T00:00:00Z")).build();
         HostMetricsBinder binder = new HostMetricsBinder(monitor)) {
      binder.bindTo(registry);
      monitor.sampleNow();
      String scrape = registry.scrape();
      assertThat(scrape)
          .contains("host_cpu_usage 0.42")
          .contains("host_cpus 4.0")
          .contains("host_cpu_core_usage{core=\"3\"} 0.42")
          .contains("host_load_average{window=\"1m\"}")
          .contains("host_memory_total_bytes 1.7179869184E10")
          .contains("host_memory_usage 0.25")
          .contains("host_swap_used_bytes 0.0")
          .contains("host_filesystem_usage{device=\"/dev/test1\",mount=\"/data\",type=\"ext4\"} 0.8")
          .contains("host_filesystem_size_bytes{device=\"/dev/test0\",mount=\"/\",type=\"ext4\"} 1.073741824E11")
          .contains("host_disk_read_bytes_total{device=\"/dev/test0\"}")
          .contains("host_disk_writes_total{device=\"/dev/test0\"}")
          .contains("host_network_received_bytes_total{interface=\"eth0\"}")
          .contains("host_network_receive_errors_total{interface=\"eth0\"}")
          .contains("host_processes 120.0")
          .contains("host_uptime_seconds")
          .contains("vigil_monitor_anomalies_total 0.0");

      source.removeDisk("/data");
      monitor.sampleNow();
      assertThat(registry.scrape()).doesNotContain("mount=\"/data\"").contains("mount=\"/\"");
    }
  }
}
