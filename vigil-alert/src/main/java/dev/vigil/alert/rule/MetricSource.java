package dev.vigil.alert.rule;

import java.util.List;

/**
 * Where rules read values: a metric name to the current value of each of its series. The server
 * adapts its Micrometer registry and the monitoring snapshot to it; {@link RegistryMetricSource}
 * does the registry part.
 */
@FunctionalInterface
public interface MetricSource {
  /** The series of {@code metric} now; empty when the metric does not exist (yet). */
  List<Series> read(String metric);

  /** This source followed by {@code other}: the series of both. */
  default MetricSource and(MetricSource other) {
    return metric -> {
      List<Series> a = read(metric);
      List<Series> b = other.read(metric);
      if (a.isEmpty()) {
        return b;
      }
      if (b.isEmpty()) {
        return a;
      }
      List<Series> all = new java.util.ArrayList<>(a);
      all.addAll(b);
      return all;
    };
  }
}
