package dev.vigil.optimizer;

import java.util.Locale;

/** The five kinds of optimization the engine runs. */
public enum Family {
  /** Indexes, ANALYZE, VACUUM, dropping unused or duplicate indexes. */
  DATABASE,
  /** Cache warming, TTLs, in-process cache size. */
  CACHE,
  /** Proxy cache rules for hot idempotent routes; slow routes linked to their queries. */
  RESPONSE_TIME,
  /** Budgets for Vigil's own caches under RAM pressure; leak trends of application processes. */
  MEMORY,
  /** Priorities and quiet windows for heavy jobs, adaptive compression, runaway processes. */
  CPU_IO;

  /** The lower-case name used in reports. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
