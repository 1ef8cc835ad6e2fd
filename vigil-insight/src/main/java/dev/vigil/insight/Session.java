package dev.vigil.insight;

import java.util.List;

/**
 * A client session worth attention: long-running, idle in a transaction, blocked or blocking.
 *
 * @param pid server process / connection id
 * @param user user name
 * @param application application name the client set ({@code ""} when none)
 * @param state {@code active}, {@code idle in transaction}, ... as the engine names it
 * @param transactionMs how long its transaction has been open ({@code -1} when none or unknown)
 * @param stateMs how long it has been in its current state
 * @param waitEvent what it waits for ({@code null} when running)
 * @param query its current or last statement, cut to 500 characters
 * @param blockedBy the sessions holding the locks it waits for
 * @param longRunning active for longer than the configured limit
 * @param idleInTransaction idle inside an open transaction
 */
public record Session(long pid, String user, String application, String state, long transactionMs, long stateMs,
    String waitEvent, String query, List<Long> blockedBy, boolean longRunning, boolean idleInTransaction) {
  /** Copies the list. */
  public Session {
    blockedBy = List.copyOf(blockedBy);
  }
}
