package dev.vigil.cache.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What Vigil stores in Redis for one key: a small header and the codec's bytes.
 *
 * <p>Layout: {@code 0xF1}, version {@code 1}, expiry as epoch millis (8 bytes, 0 = none), the time the
 * loader took in millis (4 bytes, used for early refresh), the value's class name (2-byte length + UTF-8,
 * used to decode untyped reads), then the payload. {@code 0xF1} never starts UTF-8 text, so a value
 * written by another client (plain JSON) is read as a bare payload with no metadata.
 *
 * @param payload the codec's bytes
 * @param expiresAtMillis absolute expiry in epoch millis, 0 when unknown
 * @param loadMillis how long the loader took to produce the value, 0 when it was set directly
 * @param className the value's class name, empty when unknown
 */
public record Envelope(byte[] payload, long expiresAtMillis, int loadMillis, String className) {
  private static final byte MAGIC = (byte) 0xF1;
  private static final byte VERSION = 1;
  private static final int FIXED_HEADER = 1 + 1 + 8 + 4 + 2;

  /** Checks the fields. */
  public Envelope {
    if (payload == null) {
      throw new IllegalArgumentException("payload must not be null");
    }
    if (loadMillis < 0) {
      throw new IllegalArgumentException("loadMillis must be >= 0, got " + loadMillis);
    }
    className = className == null ? "" : className;
  }

  /** The bytes stored in Redis. */
  public byte[] toBytes() {
    byte[] name = className.getBytes(StandardCharsets.UTF_8);
    if (name.length > 0xFFFF) {
      throw new IllegalArgumentException("class name longer than 65535 bytes: " + className.substring(0, 80));
    }
    ByteBuffer buf = ByteBuffer.allocate(FIXED_HEADER + name.length + payload.length);
    buf.put(MAGIC).put(VERSION).putLong(expiresAtMillis).putInt(loadMillis).putShort((short) name.length)
        .put(name).put(payload);
    return buf.array();
  }

  /**
   * Reads bytes from Redis: an envelope when they carry the header, otherwise a bare payload written by
   * another client.
   *
   * @throws CodecException when the header is present but truncated or of an unknown version
   */
  public static Envelope parse(byte[] bytes) {
    if (bytes.length == 0 || bytes[0] != MAGIC) {
      return new Envelope(bytes, 0, 0, "");
    }
    if (bytes.length < FIXED_HEADER || bytes[1] != VERSION) {
      throw new CodecException("cached value has a Vigil header of unknown version or is truncated ("
          + bytes.length + " bytes)", null);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    buf.position(2);
    long expiresAt = buf.getLong();
    int load = buf.getInt();
    int nameLength = Short.toUnsignedInt(buf.getShort());
    if (buf.remaining() < nameLength) {
      throw new CodecException("cached value's Vigil header is truncated (" + bytes.length + " bytes)", null);
    }
    String name = new String(bytes, buf.position(), nameLength, StandardCharsets.UTF_8);
    buf.position(buf.position() + nameLength);
    byte[] payload = new byte[buf.remaining()];
    buf.get(payload);
    return new Envelope(payload, expiresAt, Math.max(0, load), name);
  }
}
