package dev.vigil.server.http;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Query parameters read with bounds; a bad one is a 400 naming the parameter and what is allowed. */
public final class Params {
  private Params() {
  }

  /** An integer query parameter from {@code min} to {@code max}, or {@code fallback} when absent. */
  public static int intParam(Context ctx, String name, int min, int max, int fallback) {
    String text = ctx.queryParam(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // falls through to the 400 below, which names the parameter
    }
    throw ApiException.badParameter(name, "an integer from " + min + " to " + max);
  }

  /** An ISO-8601 instant or epoch seconds, or {@code fallback} when absent. */
  public static Instant instantParam(Context ctx, String name, Instant fallback) {
    String text = ctx.queryParam(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      if (text.chars().allMatch(Character::isDigit) && text.length() <= 12) {
        return Instant.ofEpochSecond(Long.parseLong(text));
      }
      return Instant.parse(text);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw ApiException.badParameter(name, "an ISO-8601 instant such as 2026-01-31T12:00:00Z or epoch seconds");
    }
  }

  /** A text parameter matching {@code pattern}, or {@code fallback} when absent. */
  public static String textParam(Context ctx, String name, String pattern, String allowed, String fallback) {
    String text = ctx.queryParam(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    if (!text.matches(pattern)) {
      throw ApiException.badParameter(name, allowed);
    }
    return text;
  }
}
