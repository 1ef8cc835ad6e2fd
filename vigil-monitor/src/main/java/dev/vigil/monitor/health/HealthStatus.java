package dev.vigil.monitor.health;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The health of the host at one reading, in the documented shape:
 * {@code {"status","timestamp","metrics":{"cpu_percent","ram_percent","disk_percent"},"warnings":[]}}
 * plus {@code breaches}, the same findings as data.
 *
 * @param status the worst level reached
 * @param timestamp the reading's time, ISO-8601 UTC
 * @param metrics the three headline figures
 * @param warnings one readable sentence per crossed threshold, worst first
 * @param breaches the crossed thresholds as data, in the same order
 */
@JsonPropertyOrder({"status", "timestamp", "metrics", "warnings", "breaches"})
public record HealthStatus(
    @JsonProperty("status") HealthLevel status,
    @JsonProperty("timestamp") @JsonSerialize(using = ToStringSerializer.class) Instant timestamp,
    @JsonProperty("metrics") Figures metrics,
    @JsonProperty("warnings") List<String> warnings,
    @JsonProperty("breaches") List<Breach> breaches) {

  /** Checks and copies the fields. */
  public HealthStatus {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(metrics, "metrics");
    warnings = List.copyOf(warnings);
    breaches = List.copyOf(breaches);
  }

  /**
   * The headline figures of a health report.
   *
   * @param cpuPercent CPU busy %
   * @param ramPercent RAM used %
   * @param diskPercent the headline file system's % full
   */
  public record Figures(
      @JsonProperty("cpu_percent") double cpuPercent,
      @JsonProperty("ram_percent") double ramPercent,
      @JsonProperty("disk_percent") double diskPercent) {
  }
}
