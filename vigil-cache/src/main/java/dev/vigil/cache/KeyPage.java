package dev.vigil.cache;

import java.util.List;

/**
 * One page of a key listing.
 *
 * @param keys the keys of this page
 * @param cursor pass it back to get the next page; {@code "0"} when the listing is complete
 */
public record KeyPage(List<String> keys, String cursor) {
  /** Copies the list. */
  public KeyPage {
    keys = List.copyOf(keys);
  }

  /** Whether no page follows. */
  public boolean finished() {
    return "0".equals(cursor);
  }
}
