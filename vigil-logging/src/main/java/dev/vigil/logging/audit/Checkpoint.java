package dev.vigil.logging.audit;

/**
 * A keyed statement "record {@code seq} of this chain had hash {@code hash}", kept in the state store
 * apart from the log. A chain rewritten with recomputed hashes or cut below {@code seq} no longer
 * matches it, and without the key a matching checkpoint cannot be forged.
 *
 * @param seq the record it vouches for
 * @param hash that record's hash
 * @param createdAt epoch milliseconds when it was written
 * @param mac HMAC-SHA256 (hex) over chain, seq, hash and createdAt
 */
public record Checkpoint(long seq, String hash, long createdAt, String mac) {

  /** The text the MAC covers. */
  static String signed(String chain, long seq, String hash, long createdAt) {
    return chain + "\n" + seq + "\n" + hash + "\n" + createdAt;
  }
}
