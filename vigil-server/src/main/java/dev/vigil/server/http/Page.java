package dev.vigil.server.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.http.Context;
import java.util.List;

/**
 * One page of a list answer: at most {@link #MAX_LIMIT} items (seed 003), with the cursor of the next
 * page or {@code null} on the last one. Cursors are opaque to clients; here they are offsets.
 *
 * @param items this page
 * @param nextCursor pass as {@code cursor} for the next page, or {@code null}
 * @param total how many items the whole list has
 * @param <T> item type
 */
public record Page<T>(List<T> items, @JsonProperty("next_cursor") String nextCursor, int total) {
  /** Largest page. */
  public static final int MAX_LIMIT = 1000;
  /** Page size when the client names none. */
  public static final int DEFAULT_LIMIT = 100;

  /** The page of {@code all} asked for by the request's {@code cursor} and {@code limit}. */
  public static <T> Page<T> of(Context ctx, List<T> all) {
    int limit = Params.intParam(ctx, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
    int from = Params.intParam(ctx, "cursor", 0, Integer.MAX_VALUE, 0);
    int start = Math.min(from, all.size());
    int end = Math.min(all.size(), start + limit);
    return new Page<>(List.copyOf(all.subList(start, end)), end < all.size() ? Integer.toString(end) : null,
        all.size());
  }
}
