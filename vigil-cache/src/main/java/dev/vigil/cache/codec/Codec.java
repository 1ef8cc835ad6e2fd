package dev.vigil.cache.codec;

import java.lang.reflect.Type;

/**
 * Turns cached values into bytes for Redis and back. The default is {@link JsonCodec}; a codec must be
 * thread-safe and deterministic enough that two nodes using the same codec read each other's values.
 */
public interface Codec {
  /** A short name, shown in stats and error messages (e.g. {@code json}). */
  String name();

  /**
   * Encodes one value.
   *
   * @throws CodecException naming the value's class when it cannot be encoded
   */
  byte[] encode(Object value);

  /**
   * Decodes bytes written by {@link #encode} into the given type ({@code Object.class} gives the codec's
   * natural tree: maps, lists, strings, numbers).
   *
   * @throws CodecException naming the target type when the bytes do not fit it
   */
  Object decode(byte[] bytes, Type type);

  /**
   * Converts a value already in memory to another type, as if it had been encoded and decoded; used when
   * the in-process level holds a value of a different class than the one asked for.
   */
  default Object convert(Object value, Type type) {
    return decode(encode(value), type);
  }
}
