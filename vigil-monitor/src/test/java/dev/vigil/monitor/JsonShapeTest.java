package dev.vigil.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.monitor.apm.PerformanceMonitor;
import dev.vigil.monitor.apm.RequestTracker;
import dev.vigil.monitor.process.ProcessInfo;
import dev.vigil.monitor.testing.MutableClock;
import dev.vigil.monitor.testing.SteerableMetricSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The records serialize, with a plain ObjectMapper, exactly into the seed's field names (SPEC §2). */
class JsonShapeTest {
  private final ObjectMapper mapper = new ObjectMapper();
  private final MutableClock clock = MutableClock.at("2025-11-06T15:30:00Z");
  private final SteerableMetricSource source = new SteerableMetricSource().cpu(45.2).ram(62.8).disk("/", 71.5)
      .processes(List.of(new ProcessInfo(1234, "python", 15.5, 450.2, 2.8, "running", "app", "python app.py")));

  private static List<String> keys(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  @Test
  void healthHasTheSeedsShape() throws Exception {
    try (SystemMonitor m = SystemMonitor.builder().source(source).clock(clock).build()) {
      JsonNode n = mapper.readTree(mapper.writeValueAsString(m.healthStatus()));
      assertThat(keys(n)).containsExactly("status", "timestamp", "metrics", "warnings", "breaches");
      assertThat(n.get("status").asText()).isEqualTo("healthy");
      assertThat(n.get("timestamp").asText()).isEqualTo("2025-11-06T15:30:00Z");
      assertThat(keys(n.get("metrics"))).containsExactly("cpu_percent", "ram_percent", "disk_percent");
      assertThat(n.get("metrics").get("cpu_percent").asDouble()).isEqualTo(45.2);
      assertThat(n.get("warnings").isArray()).isTrue();
    }
  }

  @Test
  void metricsHaveTheSeedsFlatFieldsFirst() throws Exception {
    try (SystemMonitor m = SystemMonitor.builder().source(source).clock(clock).build()) {
      JsonNode n = mapper.readTree(mapper.writeValueAsString(m.currentMetrics()));
      assertThat(keys(n).subList(0, 11)).containsExactly("timestamp", "cpu_percent", "cpu_count", "ram_total_gb",
          "ram_used_gb", "ram_available_gb", "ram_percent", "disk_total_gb", "disk_used_gb", "disk_free_gb", "disk_percent");
      assertThat(keys(n)).contains("cpu_per_core_percent", "load_average", "swap_total_gb", "swap_used_gb", "swap_percent",
          "disks", "disk_io", "network", "process_count", "uptime_seconds", "ram_total_bytes", "ram_used_bytes");
      assertThat(keys(n)).doesNotContain("container", "headline_disk");
      assertThat(n.get("ram_total_gb").asDouble()).isEqualTo(16.0);
      assertThat(n.get("ram_percent").asDouble()).isEqualTo(62.8);
      assertThat(n.get("disk_total_gb").asDouble()).isEqualTo(100.0);
      assertThat(n.get("disk_used_gb").asDouble()).isEqualTo(71.5);
      assertThat(n.get("disk_percent").asDouble()).isEqualTo(71.5);
      assertThat(keys(n.get("load_average"))).containsExactly("1m", "5m", "15m");
      assertThat(keys(n.get("disks").get(0))).contains("mount", "device", "type", "total_gb", "used_gb", "free_gb", "percent");
      assertThat(keys(n.get("disk_io"))).contains("read_bytes_per_sec", "write_bytes_per_sec", "read_iops", "write_iops",
          "devices");
      assertThat(keys(n.get("network"))).contains("rx_bytes_per_sec", "tx_bytes_per_sec", "errors_per_sec", "interfaces");
      assertThat(keys(n.get("network").get("interfaces").get(0))).contains("name", "rx_bytes_per_sec", "tx_bytes_per_sec",
          "rx_errors_total", "tx_errors_total");
    }
  }

  @Test
  void summaryHasTheSeedsShape() throws Exception {
    try (SystemMonitor m = SystemMonitor.builder().source(source).clock(clock).build()) {
      m.sampleNow();
      source.cpu(15.2);
      clock.advance(Duration.ofSeconds(5));
      m.sampleNow();
      JsonNode n = mapper.readTree(mapper.writeValueAsString(m.metricsSummary(60)));
      assertThat(keys(n)).containsExactly("period", "readings", "cpu", "ram", "disk");
      assertThat(n.get("period").asText()).isEqualTo("Last 2 readings");
      assertThat(keys(n.get("cpu"))).containsExactly("avg", "min", "max", "current");
      assertThat(n.get("cpu").get("avg").asDouble()).isEqualTo(30.2);
      assertThat(n.get("cpu").get("min").asDouble()).isEqualTo(15.2);
      assertThat(n.get("cpu").get("max").asDouble()).isEqualTo(45.2);
      assertThat(n.get("cpu").get("current").asDouble()).isEqualTo(15.2);
    }
  }

  @Test
  void processesHaveTheSeedsShapePlusUserAndCommand() throws Exception {
    try (SystemMonitor m = SystemMonitor.builder().source(source).clock(clock).build()) {
      JsonNode n = mapper.readTree(mapper.writeValueAsString(Map.of("processes", m.processMetrics(10))));
      JsonNode p = n.get("processes").get(0);
      assertThat(keys(p)).containsExactly("pid", "name", "cpu_percent", "memory_mb", "memory_percent", "status", "user",
          "command");
      assertThat(p.get("pid").asInt()).isEqualTo(1234);
      assertThat(p.get("memory_mb").asDouble()).isEqualTo(450.2);
    }
  }

  @Test
  void historyTrendsAnomaliesAndApmUseSnakeCase() throws Exception {
    try (SystemMonitor m = SystemMonitor.builder().source(source).clock(clock).build()) {
      for (int i = 0; i < 5; i++) {
        m.sampleNow();
        clock.advance(Duration.ofSeconds(10));
      }
      JsonNode h = mapper.readTree(mapper.writeValueAsString(
          m.history("cpu_percent", Instant.parse("2025-11-06T15:00:00Z"), clock.instant(), Duration.ofSeconds(10))));
      assertThat(keys(h)).containsExactly("metric", "tier", "step_seconds", "from", "to", "points");
      assertThat(h.get("tier").asText()).isEqualTo("raw");
      assertThat(keys(h.get("points").get(0))).containsExactly("time", "min", "avg", "max", "count");
      JsonNode t = mapper.readTree(mapper.writeValueAsString(m.trends(Duration.ofHours(1)).get(0)));
      assertThat(keys(t)).contains("metric", "window_seconds", "points", "slope_per_hour", "current", "crossing_at", "message");
    }
    PerformanceMonitor apm = new PerformanceMonitor();
    apm.trackQuery("SELECT 1", Duration.ofMillis(3));
    JsonNode r = mapper.readTree(mapper.writeValueAsString(apm.report()));
    assertThat(keys(r)).containsExactly("slow_query_threshold_ms", "slow_operation_threshold_ms", "queries", "operations");
    assertThat(keys(r.get("queries").get(0))).contains("name", "count", "errors", "p50_ms", "p95_ms", "p99_ms", "error_rate");
    RequestTracker requests = new RequestTracker();
    requests.record("GET", "/api/x", 200, Duration.ofMillis(2));
    assertThat(keys(mapper.readTree(mapper.writeValueAsString(requests.total())))).contains("recent_count", "max_ms");
  }
}
