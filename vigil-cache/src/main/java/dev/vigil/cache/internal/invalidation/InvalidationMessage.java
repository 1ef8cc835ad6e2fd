package dev.vigil.cache.internal.invalidation;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * What one node tells the others on the invalidation channel, as JSON
 * ({@code {"node":"...","kind":"keys","values":["user:1"]}}).
 *
 * @param node the id of the node that made the change; a node ignores its own messages
 * @param kind what was changed
 * @param values the keys ({@link Kind#KEYS}) or prefixes ({@link Kind#PREFIX}); empty for {@link Kind#CLEAR}
 */
public record InvalidationMessage(@JsonProperty("node") String node, @JsonProperty("kind") Kind kind,
    @JsonProperty("values") List<String> values) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a message invalidates. */
  public enum Kind {
    /** These exact keys. */
    @JsonProperty("keys") KEYS,
    /** Every key starting with one of these prefixes. */
    @JsonProperty("prefix") PREFIX,
    /** Everything. */
    @JsonProperty("clear") CLEAR
  }

  /** Checks the fields and copies the list. */
  public InvalidationMessage {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(kind, "kind");
    values = values == null ? List.of() : List.copyOf(values);
  }

  /** The message as bytes for PUBLISH. */
  public byte[] toBytes() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode invalidation message of kind " + kind, e);
    }
  }

  /**
   * Reads a message.
   *
   * @throws IllegalArgumentException when the bytes are not a message (another program on the channel)
   */
  public static InvalidationMessage parse(byte[] bytes) {
    try {
      return JSON.readValue(bytes, InvalidationMessage.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not an invalidation message (" + bytes.length + " bytes): " + e.getMessage(), e);
    }
  }
}
