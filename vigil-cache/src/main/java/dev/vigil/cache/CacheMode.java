package dev.vigil.cache;

/** Which levels answer reads; shown as {@code cache_type} in stats. */
public enum CacheMode {
  /** Only the in-process level (no Redis configured). */
  IN_MEMORY("in_memory"),
  /** Only Redis; the in-process level is used solely as fallback while Redis is down. */
  REDIS("redis"),
  /** The in-process level in front of Redis, kept coherent across nodes by pub/sub. */
  TWO_LEVEL("two_level");

  private final String label;

  CacheMode(String label) {
    this.label = label;
  }

  /** The documented name: {@code in_memory}, {@code redis} or {@code two_level}. */
  public String label() {
    return label;
  }
}
