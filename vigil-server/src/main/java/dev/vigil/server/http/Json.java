package dev.vigil.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.Adler32;
import java.util.zip.CRC32C;

/**
 * JSON in and out of the API: one {@link ObjectMapper}, strong ETags and {@code 304} on GET, and
 * request bodies parsed with a 400 that says what is wrong instead of a stack trace.
 */
public final class Json {
  /** The mapper every response and request body goes through. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private Json() {
  }

  /**
   * Writes {@code body} as JSON with status 200. On GET it carries a strong ETag and answers
   * {@code 304} with no body when the client's {@code If-None-Match} already matches it.
   */
  public static void respond(Context ctx, Object body) {
    respond(ctx, 200, body);
  }

  /** Writes {@code body} as JSON with {@code status}. */
  public static void respond(Context ctx, int status, Object body) {
    byte[] bytes;
    try {
      bytes = MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize response of " + ctx.path() + ": " + e.getOriginalMessage(), e);
    }
    respondSerialized(ctx, status, bytes);
  }

  /**
   * Writes a body already serialized as JSON with {@code status}, with the same ETag and {@code 304}
   * handling as {@link #respond(Context, int, Object)}: for answers built once and served many times.
   */
  public static void respondSerialized(Context ctx, int status, byte[] bytes) {
    if (status == 200 && ctx.method() == HandlerType.GET) {
      String etag = etag(bytes);
      ctx.header("ETag", etag);
      String match = ctx.header("If-None-Match");
      if (match != null && matches(match, etag)) {
        ctx.status(304);
        return;
      }
    }
    ctx.status(status).contentType("application/json").result(bytes);
  }

  /**
   * Reads the request body as {@code type}.
   *
   * @throws ApiException 400 {@code malformed_json} or {@code invalid_body} naming the field at fault
   */
  public static <T> T read(Context ctx, Class<T> type) {
    byte[] body = ctx.bodyAsBytes();
    if (body.length == 0) {
      throw new ApiException(400, "malformed_json", "request body must be a JSON object");
    }
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new ApiException(400, "malformed_json", "request body must be a JSON object, not null");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw new ApiException(400, "invalid_body", "unknown field '" + e.getPropertyName() + "'");
    } catch (MismatchedInputException e) {
      String field = e.getPath().isEmpty() ? "body" : "field '" + e.getPath().get(e.getPath().size() - 1).getFieldName()
          + "'";
      throw new ApiException(400, "invalid_body", field + " has the wrong type or is missing");
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr();
      throw new ApiException(400, "malformed_json", "request body is not valid JSON" + where);
    } catch (IOException e) {
      throw new ApiException(400, "malformed_json", "request body could not be read");
    }
  }

  /**
   * The body's entity tag: its length and two independent checksums (CRC-32C and Adler-32, both computed
   * by CPU instructions), 80 bits in all. A tag only has to change when the body does, against a
   * client's one earlier copy, never resist a forger: a cryptographic digest cost more than the rest
   * of a small answer's pipeline.
   */
  static String etag(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    Adler32 adler = new Adler32();
    adler.update(bytes);
    ByteBuffer tag = ByteBuffer.allocate(10).putInt((int) crc.getValue()).putInt((int) adler.getValue())
        .putShort((short) bytes.length);
    return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(tag.array()) + "\"";
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.equals("*") || c.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
