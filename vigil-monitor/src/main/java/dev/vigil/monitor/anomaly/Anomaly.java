package dev.vigil.monitor.anomaly;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.vigil.monitor.host.Metric;
import dev.vigil.monitor.host.Units;
import java.time.Instant;
import java.util.Locale;

/**
 * A flagged reading.
 *
 * @param time when it was read, ISO-8601 UTC
 * @param metric the metric name
 * @param value the reading
 * @param score its robust score (signed: negative below normal)
 * @param baseline the median of the recent normal readings it was compared with
 */
@JsonPropertyOrder({"time", "metric", "value", "score", "baseline", "message"})
public record Anomaly(
    @JsonProperty("time") @JsonSerialize(using = ToStringSerializer.class) Instant time,
    @JsonProperty("metric") String metric,
    @JsonProperty("value") double value,
    @JsonProperty("score") double score,
    @JsonProperty("baseline") double baseline) {

  /**
   * A sentence in human units, such as "CPU 97.2% is unusually high (typical 35.1%, score 8.4)" or
   * "disk writes 133.7 MB/s is unusually high (typical 2.1 MB/s, score 12.0)".
   */
  @JsonProperty("message")
  public String message() {
    Metric m = Metric.isKnown(metric) ? Metric.of(metric) : null;
    String label = m == null ? metric : m.label();
    String unit = m == null ? "" : m.unit();
    return String.format(Locale.ROOT, "%s %s is unusually %s (typical %s, score %.1f)", label, Units.human(value, unit),
        score > 0 ? "high" : "low", Units.human(baseline, unit), score);
  }
}
