package dev.vigil.core.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A named lease in the state store so that a scheduled job runs once per fleet when several Vigil
 * instances share one store. A lease expires by itself, so a crashed holder never blocks forever.
 */
public final class FleetLock {
  private final StateStore store;
  private final Clock clock;
  private final String owner;

  /** Creates a lock client whose leases are held in the name of a fresh random owner id. */
  public FleetLock(StateStore store, Clock clock) {
    this(store, clock, UUID.randomUUID().toString());
  }

  /** Creates a lock client for a given owner id (one per instance). */
  public FleetLock(StateStore store, Clock clock, String owner) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.owner = Objects.requireNonNull(owner, "owner");
  }

  /** This instance's owner id. */
  public String owner() {
    return owner;
  }

  /**
   * Takes the lease {@code name} for {@code lease} if it is free or expired.
   *
   * @return true when this owner now holds it
   */
  public boolean tryAcquire(String name, Duration lease) {
    long now = clock.millis();
    long until = now + lease.toMillis();
    return store.jdbi().inTransaction(h -> {
      int updated = h.createUpdate("UPDATE vigil_lock SET owner = :owner, expires_at = :until "
              + "WHERE name = :name AND (expires_at < :now OR owner = :owner)")
          .bind("owner", owner).bind("until", until).bind("name", name).bind("now", now).execute();
      if (updated == 1) {
        return true;
      }
      int inserted = h.createUpdate(store.kind() == StateStore.Kind.SQLITE
              ? "INSERT OR IGNORE INTO vigil_lock(name, owner, expires_at) VALUES (:name, :owner, :until)"
              : "INSERT INTO vigil_lock(name, owner, expires_at) VALUES (:name, :owner, :until) ON CONFLICT DO NOTHING")
          .bind("owner", owner).bind("until", until).bind("name", name).execute();
      return inserted == 1;
    });
  }

  /** Gives the lease back if this owner holds it. */
  public void release(String name) {
    store.jdbi().useHandle(h -> h.createUpdate("DELETE FROM vigil_lock WHERE name = :name AND owner = :owner")
        .bind("name", name).bind("owner", owner).execute());
  }

  /**
   * Runs {@code work} while holding the lease, or not at all when another owner holds it.
   *
   * @return the work's result, or empty when the lease was held elsewhere
   */
  public <T> Optional<T> runExclusive(String name, Duration lease, Supplier<T> work) {
    if (!tryAcquire(name, lease)) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(work.get());
    } finally {
      release(name);
    }
  }
}
