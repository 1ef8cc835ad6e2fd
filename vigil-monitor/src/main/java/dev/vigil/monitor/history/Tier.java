package dev.vigil.monitor.history;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;

/** Where a history query is answered from, finest first. */
public enum Tier {
  /** Every reading, from the in-memory ring. */
  RAW("raw", Duration.ZERO, Duration.ZERO),
  /** Per-minute roll-ups in the state store, kept seven days. */
  MINUTE("1m", Duration.ofMinutes(1), Duration.ofDays(7)),
  /** Per-hour roll-ups in the state store, kept a year. */
  HOUR("1h", Duration.ofHours(1), Duration.ofDays(365));

  private final String apiName;
  private final Duration resolution;
  private final Duration retention;

  Tier(String apiName, Duration resolution, Duration retention) {
    this.apiName = apiName;
    this.resolution = resolution;
    this.retention = retention;
  }

  /** The name the API shows: {@code raw}, {@code 1m} or {@code 1h}. */
  @JsonValue
  public String apiName() {
    return apiName;
  }

  /** The width of one bucket (zero for raw readings). */
  public Duration resolution() {
    return resolution;
  }

  /** How long buckets are kept (zero for the ring, which keeps its own span). */
  public Duration retention() {
    return retention;
  }
}
