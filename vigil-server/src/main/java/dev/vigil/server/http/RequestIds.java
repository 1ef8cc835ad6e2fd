package dev.vigil.server.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The {@code X-Request-Id} of a request: the client's when well-formed, else a fresh random UUID.
 * Ids label log lines and need not be unguessable, so they come from {@link ThreadLocalRandom}
 * rather than the contended {@code SecureRandom} behind {@link UUID#randomUUID()}.
 */
public final class RequestIds {
  /** The header name. */
  public static final String HEADER = "X-Request-Id";
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {
  }

  /** The id to use for a request that sent {@code sent} (may be {@code null}). */
  public static String choose(String sent) {
    if (sent != null && WELL_FORMED.matcher(sent).matches()) {
      return sent;
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
