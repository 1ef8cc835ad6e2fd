package dev.vigil.insight;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The server right now.
 *
 * @param database the configured database name
 * @param at when it was read
 * @param cacheHitRatio share of table block reads served from the cache ({@code -1} when unknown)
 * @param indexCacheHitRatio same for index blocks ({@code -1} when unknown)
 * @param cacheHitLow the table ratio is below the configured floor (PgHero: 99 %)
 * @param maxConnections the server's connection limit
 * @param connectionsByState client connections by state ({@code active}, {@code idle}, ...)
 * @param sessions long-running, idle-in-transaction, blocked and blocking sessions
 * @param blocking who blocks whom: each root blocker and every session waiting behind it, directly or not
 * @param replicas replicas and their lag
 * @param wraparoundAge the age of the oldest unfrozen transaction id ({@code -1} when not applicable)
 * @param wraparoundRemaining transaction ids left before the server must stop writes ({@code -1} when not applicable)
 * @param notes what is missing or approximate
 */
public record Activity(String database, Instant at, double cacheHitRatio, double indexCacheHitRatio,
    boolean cacheHitLow, int maxConnections, Map<String, Integer> connectionsByState, List<Session> sessions,
    List<BlockingChain> blocking, List<Replica> replicas, long wraparoundAge, long wraparoundRemaining,
    List<String> notes) {
  /** Copies the collections. */
  public Activity {
    connectionsByState = Map.copyOf(connectionsByState);
    sessions = List.copyOf(sessions);
    blocking = List.copyOf(blocking);
    replicas = List.copyOf(replicas);
    notes = List.copyOf(notes);
  }

  /** All client connections. */
  public int connections() {
    return connectionsByState.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * One blocking chain.
   *
   * @param blocker the session at the head (blocked by no one)
   * @param waiting the sessions waiting behind it, directly or through others
   */
  public record BlockingChain(long blocker, List<Long> waiting) {
    /** Copies the list. */
    public BlockingChain {
      waiting = List.copyOf(waiting);
    }
  }
}
