package dev.vigil.backup.schedule;

import dev.vigil.core.store.StateStore;
import java.time.Instant;
import java.util.Optional;

/**
 * The scheduler's memory in the state store (table {@code vigil_backup_job}): per job, the fire time
 * of its last run and that run's result. It survives restarts, which is how missed runs are found,
 * and it is shared by a fleet, which is how one fire time runs only once.
 */
final class JobStore {
  private final StateStore store;

  JobStore(StateStore store) {
    this.store = store;
    store.migrate("backup");
  }

  /**
   * The last run of a job.
   *
   * @param lastFireAt scheduled fire time of the last run
   * @param status {@code RUNNING}, {@code RETRYING}, {@code SUCCEEDED} or {@code FAILED}
   * @param message backup file or failure reason
   * @param startedAt when the last run (or retry of it) started
   */
  record State(Instant lastFireAt, String status, String message, Instant startedAt) {
  }

  Optional<State> load(String key) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT last_fire_at, last_status, last_message, "
            + "last_started_at FROM vigil_backup_job WHERE name = :name")
        .bind("name", key)
        .map((rs, ctx) -> new State(rs.getObject(1) == null ? null : Instant.ofEpochMilli(rs.getLong(1)),
            rs.getString(2), rs.getString(3), rs.getObject(4) == null ? null : Instant.ofEpochMilli(rs.getLong(4))))
        .findOne());
  }

  /**
   * Claims fire time {@code fireAt} for this owner unless a run at or after it is already recorded.
   * Call while holding the job's fleet lock.
   *
   * @return true when this owner should run it
   */
  boolean claim(String key, Instant fireAt, String owner, Instant now) {
    Optional<State> s = load(key);
    if (s.isPresent() && s.get().lastFireAt() != null && !s.get().lastFireAt().isBefore(fireAt)) {
      return false;
    }
    store.jdbi().useHandle(h -> h.createUpdate("INSERT INTO vigil_backup_job(name, last_fire_at, last_started_at, "
            + "last_finished_at, last_status, last_message, last_owner) VALUES (:name, :fire, :now, NULL, 'RUNNING', "
            + "NULL, :owner) ON CONFLICT (name) DO UPDATE SET last_fire_at = :fire, last_started_at = :now, "
            + "last_finished_at = NULL, last_status = 'RUNNING', last_message = NULL, last_owner = :owner")
        .bind("name", key).bind("fire", fireAt.toEpochMilli()).bind("now", now.toEpochMilli()).bind("owner", owner)
        .execute());
    return true;
  }

  /** Records the end of the run claimed last. */
  void finish(String key, String status, String message, Instant now) {
    store.jdbi().useHandle(h -> h.createUpdate("UPDATE vigil_backup_job SET last_status = :status, "
            + "last_message = :message, last_finished_at = :now WHERE name = :name")
        .bind("status", status).bind("message", message).bind("now", now.toEpochMilli()).bind("name", key)
        .execute());
  }

  /**
   * Marks the run of {@code fireAt} as being retried by {@code owner} from {@code now}, unless a later
   * fire time has run since. Call while holding the job's fleet lock.
   *
   * @return whether the slot is still the job's last one (and now marked)
   */
  boolean markRetrying(String key, Instant fireAt, String owner, Instant now) {
    return store.jdbi().withHandle(h -> h.createUpdate("UPDATE vigil_backup_job SET last_status = 'RETRYING', "
            + "last_started_at = :now, last_finished_at = NULL, last_owner = :owner WHERE name = :name "
            + "AND last_fire_at = :fire")
        .bind("now", now.toEpochMilli()).bind("owner", owner).bind("name", key).bind("fire", fireAt.toEpochMilli())
        .execute()) > 0;
  }
}
