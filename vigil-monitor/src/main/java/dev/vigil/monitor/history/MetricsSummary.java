package dev.vigil.monitor.history;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.vigil.monitor.host.HostMetrics;
import dev.vigil.monitor.host.Units;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Statistics over the last readings, in the documented shape:
 * {@code {"period":"Last 60 readings","cpu":{"avg","min","max","current"},"ram":{...},"disk":{...}}}
 * plus {@code readings}, the number of readings actually summarized (fewer than asked while the ring
 * is still filling).
 *
 * @param period "Last N readings"
 * @param readings how many readings were summarized
 * @param cpu {@code cpu_percent}
 * @param ram {@code ram_percent}
 * @param disk the headline {@code disk_percent}
 */
@JsonPropertyOrder({"period", "readings", "cpu", "ram", "disk"})
public record MetricsSummary(
    @JsonProperty("period") String period,
    @JsonProperty("readings") int readings,
    @JsonProperty("cpu") Stats cpu,
    @JsonProperty("ram") Stats ram,
    @JsonProperty("disk") Stats disk) {

  /**
   * Average, minimum, maximum and newest value of one metric.
   *
   * @param avg mean, two decimals
   * @param min smallest
   * @param max largest
   * @param current the newest reading's value
   */
  @JsonPropertyOrder({"avg", "min", "max", "current"})
  public record Stats(
      @JsonProperty("avg") double avg,
      @JsonProperty("min") double min,
      @JsonProperty("max") double max,
      @JsonProperty("current") double current) {
  }

  /**
   * Summarizes {@code samples}, oldest first.
   *
   * @throws IllegalArgumentException when there are none
   */
  public static MetricsSummary of(List<HostMetrics> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no readings to summarize");
    }
    return new MetricsSummary("Last " + samples.size() + " readings", samples.size(),
        stats(samples, HostMetrics::cpuPercent), stats(samples, HostMetrics::ramPercent),
        stats(samples, HostMetrics::diskPercent));
  }

  private static Stats stats(List<HostMetrics> samples, ToDoubleFunction<HostMetrics> f) {
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (HostMetrics m : samples) {
      double v = f.applyAsDouble(m);
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return new Stats(Units.round2(sum / samples.size()), min, max, f.applyAsDouble(samples.get(samples.size() - 1)));
  }
}
