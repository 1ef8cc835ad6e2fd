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
}
