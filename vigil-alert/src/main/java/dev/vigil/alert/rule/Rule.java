package dev.vigil.alert.rule;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An alert rule.
 *
 * @param name the alert name (letters, digits, '_')
 * @param kind THRESHOLD (value op threshold), ANOMALY (|z-score| over the recent window above
 *     {@code threshold}), FORECAST (the linear trend over {@code window} reaches {@code threshold}
 *     within {@code horizon}), INCREASE (a counter's growth over {@code window}, op threshold), or AGE
 *     (now minus a Unix-seconds timestamp metric, in seconds, op threshold)
 * @param metric the metric name read from the {@link MetricSource}
 * @param selector labels a series must have to be judged (empty: every series)
 * @param op the comparison (THRESHOLD and FORECAST)
 * @param threshold the line
 * @param forDuration how long the condition must hold before the alert fires
 * @param hysteresis how far back past the threshold the value must go before a firing alert resolves
 * @param severity critical, warning or info
 * @param labels extra labels on the alert
 * @param summary summary templates by language ({@code en}, {@code ar})
 * @param description description templates by language
 * @param window the history a FORECAST or ANOMALY rule looks at
 * @param horizon how far ahead a FORECAST rule looks
 * @param builtIn whether Vigil ships the rule
 */
public record Rule(
    @JsonProperty("name") String name,
    @JsonProperty("kind") Kind kind,
    @JsonProperty("metric") String metric,
    @JsonProperty("selector") Map<String, String> selector,
    @JsonProperty("op") Op op,
    @JsonProperty("threshold") double threshold,
    @JsonProperty("for") Duration forDuration,
    @JsonProperty("hysteresis") double hysteresis,
    @JsonProperty("severity") String severity,
    @JsonProperty("labels") Map<String, String> labels,
    @JsonProperty("summary") Map<String, String> summary,
    @JsonProperty("description") Map<String, String> description,
    @JsonProperty("window") Duration window,
    @JsonProperty("horizon") Duration horizon,
    @JsonProperty("built_in") boolean builtIn) {

  /** Rule kinds. */
  public enum Kind { THRESHOLD, ANOMALY, FORECAST, INCREASE, AGE }

  /** Validates and copies. */
  public Rule {
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]{0,99}")) {
      throw new IllegalArgumentException("rule name must be letters, digits or '_' (at most 100), got " + name);
    }
    Objects.requireNonNull(kind, "rule " + name + ": kind");
    if (metric == null || !metric.matches("[A-Za-z_:][A-Za-z0-9_:.]{0,199}")) {
      throw new IllegalArgumentException("rule " + name + ": metric must be a metric name, got " + metric);
    }
    Objects.requireNonNull(op, "rule " + name + ": op");
    forDuration = forDuration == null ? Duration.ZERO : forDuration;
    if (forDuration.isNegative() || hysteresis < 0 || Double.isNaN(threshold)) {
      throw new IllegalArgumentException("rule " + name + ": for and hysteresis must not be negative, threshold a number");
    }
    severity = severity == null ? "warning" : severity;
    if (!severity.matches("critical|warning|info")) {
      throw new IllegalArgumentException("rule " + name + ": severity must be critical, warning or info, got " + severity);
    }
    selector = Map.copyOf(selector == null ? Map.of() : selector);
    labels = new TreeMap<>(labels == null ? Map.of() : labels);
    if (labels.containsKey("alertname") || labels.containsKey("severity")) {
      throw new IllegalArgumentException("rule " + name + ": labels may not set alertname or severity");
    }
    summary = Map.copyOf(summary == null ? Map.of() : summary);
    description = Map.copyOf(description == null ? Map.of() : description);
    window = window == null ? Duration.ofHours(1) : window;
    horizon = horizon == null ? Duration.ofHours(24) : horizon;
    if (window.isNegative() || window.isZero() || horizon.isNegative() || horizon.isZero()) {
      throw new IllegalArgumentException("rule " + name + ": window and horizon must be positive");
    }
  }

  /** A threshold rule with English summary only. */
  public static Rule threshold(String name, String metric, Op op, double threshold, Duration forDuration,
      String severity, String summary) {
    return new Rule(name, Kind.THRESHOLD, metric, Map.of(), op, threshold, forDuration, 0, severity, Map.of(),
        Map.of("en", summary), Map.of(), null, null, false);
  }
}
