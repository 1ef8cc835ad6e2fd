package dev.vigil.server.alert;

import dev.vigil.alert.rule.MetricSource;
import dev.vigil.alert.rule.RegistryMetricSource;
import dev.vigil.alert.rule.Series;
import dev.vigil.monitor.Sample;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.apm.LatencyStats;
import dev.vigil.server.monitoring.ServerMonitoring;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the server's rules read: the host figures of the latest monitoring sample
 * ({@code cpu_percent}, {@code ram_percent}, {@code disk_percent}), the API's p95 from the request
 * tracker ({@code vigil_http_p95_seconds{scope="api"}}), and everything on {@code /metrics} through
 * {@link RegistryMetricSource}.
 */
final class ServerMetricSource implements MetricSource {
  private final RegistryMetricSource registry;
  private final Optional<ServerMonitoring> monitoring;

  ServerMetricSource(RegistryMetricSource registry, Optional<ServerMonitoring> monitoring) {
    this.registry = registry;
    this.monitoring = monitoring;
  }

  @Override
  public List<Series> read(String metric) {
    switch (metric) {
      case "cpu_percent", "ram_percent", "disk_percent" -> {
        Optional<Sample> s = monitoring.map(ServerMonitoring::monitor).flatMap(SystemMonitor::latest);
        if (s.isEmpty()) {
          return List.of();
        }
        var f = s.get().health().metrics();
        double v = metric.equals("cpu_percent") ? f.cpuPercent() : metric.equals("ram_percent") ? f.ramPercent()
            : f.diskPercent();
        return List.of(Series.of(v));
      }
      case "vigil_http_p95_seconds" -> {
        List<Series> fromRegistry = registry.read(metric);
        if (monitoring.isEmpty() || fromRegistry.stream().anyMatch(x -> "api".equals(x.labels().get("scope")))) {
          return fromRegistry;
        }
        LatencyStats total = monitoring.get().requests().total();
        if (total.recentCount() == 0) {
          return fromRegistry;
        }
        List<Series> out = new java.util.ArrayList<>(fromRegistry);
        out.add(new Series(Map.of("scope", "api"), total.p95Ms() / 1000.0));
        return out;
      }
      default -> {
        return registry.read(metric);
      }
    }
  }
}
