package dev.vigil.alert;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * One alert instance: a rule (or a direct {@code alert()} call) for one label set.
 *
 * @param fingerprint a stable hash of the labels
 * @param labels identifying labels, always with {@code alertname} and {@code severity}
 * @param annotations rendered texts: {@code summary}, {@code description} and their Arabic
 *     {@code summary_ar}, {@code description_ar}
 * @param state PENDING, FIRING or RESOLVED
 * @param activeAt when the condition started holding
 * @param startsAt when it started firing ({@code null} while pending)
 * @param endsAt when it resolved ({@code null} while active)
 * @param value the value that last drove the rule
 */
public record Alert(
    @JsonProperty("fingerprint") String fingerprint,
    @JsonProperty("labels") Map<String, String> labels,
    @JsonProperty("annotations") Map<String, String> annotations,
    @JsonProperty("state") State state,
    @JsonProperty("active_at") Instant activeAt,
    @JsonProperty("starts_at") Instant startsAt,
    @JsonProperty("ends_at") Instant endsAt,
    @JsonProperty("value") double value) {

  /** Where an alert is in its life. */
  public enum State { PENDING, FIRING, RESOLVED }

  /** Copies the maps (sorted, unmodifiable). */
  public Alert {
    labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    annotations = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
  }

  /** The alert's name label. */
  public String name() {
    return labels.get("alertname");
  }

  /** The severity label. */
  public String severity() {
    return labels.getOrDefault("severity", "warning");
  }

  /** The same alert in another state. */
  public Alert with(State newState, Instant startsAt, Instant endsAt, double value, Map<String, String> annotations) {
    return new Alert(fingerprint, labels, new TreeMap<>(annotations), newState, activeAt, startsAt, endsAt, value);
  }

  /** A stable hex hash of a label set (sorted name=value pairs). */
  public static String fingerprint(Map<String, String> labels) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(labels).forEach((k, v) -> sb.append(k).append('\u0000').append(v).append('\u0001'));
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
