package dev.vigil.logging.request;

import java.util.Objects;

/**
 * One answered HTTP request, with the documented request-log fields (the timestamp is the log event's).
 *
 * @param method HTTP method
 * @param path request path (as sent; capped at {@link #MAX_PATH} characters)
 * @param statusCode HTTP status answered
 * @param responseTimeMs time to answer in milliseconds
 * @param userId who asked (for the server, the caller's token id), or {@code null} when anonymous
 * @param ipAddress client address
 * @param userAgent the {@code User-Agent} header, or {@code null} (capped at {@link #MAX_USER_AGENT})
 * @param requestId the request id, or {@code null} when there is none
 * @param slow whether the request took at least the slow threshold
 */
public record RequestRecord(String method, String path, int statusCode, double responseTimeMs, String userId,
    String ipAddress, String userAgent, String requestId, boolean slow) {
  /** Longest path kept; longer ones are cut and end in {@code ...}. */
  public static final int MAX_PATH = 2048;
  /** Longest user agent kept. */
  public static final int MAX_USER_AGENT = 512;

  /** Checks the fields and caps the client-controlled ones. */
  public RequestRecord {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    if (statusCode < 100 || statusCode > 599) {
      throw new IllegalArgumentException("status code must be 100-599, was " + statusCode);
    }
    if (!(responseTimeMs >= 0)) {
      throw new IllegalArgumentException("response time must be a non-negative number of ms, was " + responseTimeMs);
    }
    path = cap(path, MAX_PATH);
    userAgent = userAgent == null ? null : cap(userAgent, MAX_USER_AGENT);
  }

  private static String cap(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }

  @Override
  public String toString() {
    return method + " " + path + " " + statusCode + " " + responseTimeMs + "ms";
  }
}
