package dev.vigil.alert.probe;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * A service level objective over a probe's checks: a check is good when it was up and (when
 * {@code latencyMs} is set) answered within {@code latencyMs}.
 *
 * @param name the SLO name
 * @param probe the probe it reads
 * @param objective the target share of good checks, e.g. 0.999
 * @param latencyMs the latency bound of a good check, or 0 for availability only
 * @param window the SLO window, e.g. 30 days
 */
public record Slo(
    @JsonProperty("name") String name,
    @JsonProperty("probe") String probe,
    @JsonProperty("objective") double objective,
    @JsonProperty("latency_ms") int latencyMs,
    @JsonProperty("window") Duration window) {
  /** 30 days. */
  public static final Duration DEFAULT_WINDOW = Duration.ofDays(30);

  /** Validates. */
  public Slo {
    if (name == null || !name.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new IllegalArgumentException("slo name must be 1-100 letters, digits, '.', '_' or '-', got " + name);
    }
    if (!(objective > 0 && objective < 1)) {
      throw new IllegalArgumentException("slo " + name + ": objective must be between 0 and 1 (e.g. 0.999), got " + objective);
    }
    if (latencyMs < 0) {
      throw new IllegalArgumentException("slo " + name + ": latency_ms must not be negative");
    }
    window = window == null ? DEFAULT_WINDOW : window;
  }
}
