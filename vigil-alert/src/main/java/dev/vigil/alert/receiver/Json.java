package dev.vigil.alert.receiver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.vigil.alert.Notification;
import java.util.Map;

/** JSON for the receivers. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private Json() {
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  static String write(Object o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON for " + o.getClass().getSimpleName(), e);
    }
  }

  /** The notification as plain text lines: one per alert with its summary. */
  static String text(Notification n) {
    StringBuilder sb = new StringBuilder();
    for (Notification.Item i : n.alerts()) {
      sb.append(i.resolved() ? "RESOLVED " : "FIRING ").append(i.labels().getOrDefault("alertname", "alert"));
      String summary = i.annotations().get("summary");
      if (summary != null) {
        sb.append(": ").append(summary);
      }
      sb.append(" (").append(labels(i.labels())).append(")\n");
    }
    return sb.toString();
  }

  static String labels(Map<String, String> labels) {
    StringBuilder sb = new StringBuilder();
    labels.forEach((k, v) -> {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(k).append('=').append(v);
    });
    return sb.toString();
  }
}
