package dev.vigil.cache.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * The default codec: JSON through Jackson, so values written by Vigil are readable by any other client
 * of the same Redis. Unknown properties are ignored on read, so adding a field to a cached record does
 * not break nodes still holding the old shape.
 */
public final class JsonCodec implements Codec {
  private final ObjectMapper mapper;

  /** A codec over a mapper with the modules found on the class path and lenient reading. */
  public JsonCodec() {
    this(new ObjectMapper().findAndRegisterModules()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
        .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true));
  }

  /** A codec over the caller's mapper (it must not be reconfigured afterwards). */
  public JsonCodec(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /** The mapper this codec uses; memoization uses it to turn non-scalar arguments into key parts. */
  public ObjectMapper mapper() {
    return mapper;
  }

  @Override
  public String name() {
    return "json";
  }

  @Override
  public byte[] encode(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new CodecException("cannot encode a " + className(value) + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public Object decode(byte[] bytes, Type type) {
    JavaType javaType = mapper.constructType(type);
    try {
      return mapper.readValue(bytes, javaType);
    } catch (IOException e) {
      throw new CodecException("cannot decode JSON as " + javaType.toCanonical() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Object convert(Object value, Type type) {
    JavaType javaType = mapper.constructType(type);
    try {
      return mapper.convertValue(value, javaType);
    } catch (IllegalArgumentException e) {
      throw new CodecException("cannot convert a " + className(value) + " to " + javaType.toCanonical(), e);
    }
  }

  private static String className(Object value) {
    return value == null ? "null" : value.getClass().getName();
  }
}
