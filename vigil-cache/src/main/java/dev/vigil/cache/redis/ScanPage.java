package dev.vigil.cache.redis;

import java.util.List;

/**
 * One step of a SCAN over every master: the keys found and the cursor to continue from ({@code "0"} when
 * the iteration is complete).
 *
 * @param keys keys found in this step, possibly none
 * @param cursor opaque cursor for the next step, {@code "0"} when done
 */
public record ScanPage(List<String> keys, String cursor) {
  /** Copies the list. */
  public ScanPage {
    keys = List.copyOf(keys);
  }

  /** Whether the iteration is complete. */
  public boolean finished() {
    return "0".equals(cursor);
  }
}
