package dev.vigil.server.http;

import java.util.UUID;
import java.util.regex.Pattern;

/** The {@code X-Request-Id} of a request: the client's when well-formed, else a fresh UUID. */
public final class RequestIds {
  /** The header name. */
  public static final String HEADER = "X-Request-Id";
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {
  }

  /** The id to use for a request that sent {@code sent} (may be {@code null}). */
  public static String choose(String sent) {
    return sent != null && WELL_FORMED.matcher(sent).matches() ? sent : UUID.randomUUID().toString();
  }
}
