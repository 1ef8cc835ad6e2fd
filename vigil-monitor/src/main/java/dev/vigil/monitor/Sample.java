package dev.vigil.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.monitor.anomaly.Anomaly;
import dev.vigil.monitor.health.HealthStatus;
import dev.vigil.monitor.host.HostMetrics;
import java.util.List;
import java.util.Objects;

/**
 * One sampling step: the reading, its health, and the anomalies it started. What listeners receive.
 *
 * @param metrics the reading
 * @param health the reading judged against the thresholds
 * @param anomalies the anomalies this reading started (usually none)
 */
public record Sample(
    @JsonProperty("metrics") HostMetrics metrics,
    @JsonProperty("health") HealthStatus health,
    @JsonProperty("anomalies") List<Anomaly> anomalies) {

  /** Checks and copies the fields. */
  public Sample {
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(health, "health");
    anomalies = List.copyOf(anomalies);
  }
}
