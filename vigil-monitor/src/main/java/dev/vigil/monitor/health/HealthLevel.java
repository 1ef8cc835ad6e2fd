package dev.vigil.monitor.health;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Overall health, worst first in severity order: {@code healthy < warning < critical}. */
public enum HealthLevel {
  /** No threshold crossed. */
  HEALTHY,
  /** At least one warning threshold crossed, no critical one. */
  WARNING,
  /** At least one critical threshold crossed. */
  CRITICAL;

  /** The lower-case name the API shows: {@code healthy}, {@code warning} or {@code critical}. */
  @JsonValue
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The more severe of this and {@code other}. */
  public HealthLevel worst(HealthLevel other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
