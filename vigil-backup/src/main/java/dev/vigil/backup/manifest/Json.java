package dev.vigil.backup.manifest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * JSON for the backup library's records. Time fields carry their own (de)serializers, so the records
 * serialize to the documented shapes with a plain {@code new ObjectMapper()} as well as with this one:
 * local times as {@code 2025-11-06T02:00:00}, instants as ISO-8601 UTC.
 */
public final class Json {
  /** The mapper used for manifests: indented, tolerant of fields added by later versions. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  private Json() {
  }

  /** Formats a local time the way it is documented: {@code 2025-11-06T02:00:00}. */
  public static String local(LocalDateTime t) {
    return LOCAL.format(t);
  }

  /** Writes a {@link LocalDateTime} as {@code yyyy-MM-ddTHH:mm:ss}. */
  public static final class LocalSerializer extends JsonSerializer<LocalDateTime> {
    @Override
    public void serialize(LocalDateTime value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeString(local(value));
    }
  }

  /** Reads a {@link LocalDateTime} written by {@link LocalSerializer}. */
  public static final class LocalDeserializer extends JsonDeserializer<LocalDateTime> {
    @Override
    public LocalDateTime deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return LocalDateTime.parse(p.getValueAsString());
    }
  }

  /** Writes an {@link Instant} as ISO-8601 UTC. */
  public static final class InstantSerializer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeString(value.toString());
    }
  }

  /** Reads an {@link Instant} written by {@link InstantSerializer}. */
  public static final class InstantDeserializer extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return Instant.parse(p.getValueAsString());
    }
  }
}
