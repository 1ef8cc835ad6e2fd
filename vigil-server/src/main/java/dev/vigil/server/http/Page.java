package dev.vigil.server.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One page of a list answer: at most {@link #MAX_LIMIT} items, with the cursor of the next page or
 * {@code null} on the last one. Cursors are opaque to clients. Every paginated route writes its page
 * through {@link #into}, so the list, {@code next_cursor} and {@code total} look the same everywhere.
 *
 * @param items this page
 * @param nextCursor pass as {@code cursor} for the next page, or {@code null}
 * @param total how many items the whole list has, or {@code null} when the source does not know
 * @param <T> item type
 */
public record Page<T>(List<T> items, String nextCursor, Integer total) {
  /** Largest page. */
  public static final int MAX_LIMIT = 1000;
  /** Page size when the client names none. */
  public static final int DEFAULT_LIMIT = 100;

  /** Validates the page and freezes its items. */
  public Page {
    items = List.copyOf(items);
  }

  /** The page of {@code all} asked for by the request's {@code cursor} and {@code limit}; cursors are offsets. */
  public static <T> Page<T> of(Context ctx, List<T> all) {
    int limit = limit(ctx);
    int from = Params.intParam(ctx, "cursor", 0, Integer.MAX_VALUE, 0);
    int start = Math.min(from, all.size());
    int end = Math.min(all.size(), start + limit);
    return new Page<>(all.subList(start, end), end < all.size() ? Integer.toString(end) : null, all.size());
  }

  /** A page whose source hands out its own cursors and does not count the whole list. */
  public static <T> Page<T> of(List<T> items, String nextCursor) {
    return new Page<>(items, nextCursor, null);
  }

  /** The request's {@code limit} (1 to {@link #MAX_LIMIT}, default {@link #DEFAULT_LIMIT}). */
  public static int limit(Context ctx) {
    return Params.intParam(ctx, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
  }

  /**
   * Adds this page to an answer's {@code body}: the items under {@code name}, then {@code next_cursor},
   * then {@code total} when known.
   *
   * @return {@code body}
   */
  public Map<String, Object> into(Map<String, Object> body, String name) {
    body.put(name, items);
    body.put("next_cursor", nextCursor);
    if (total != null) {
      body.put("total", total);
    }
    return body;
  }

  /** An answer holding only this page, its items under {@code name}. */
  public Map<String, Object> body(String name) {
    return into(new LinkedHashMap<>(), name);
  }
}
