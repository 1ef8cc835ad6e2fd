package dev.vigil.alert.receiver;

import dev.vigil.alert.Alert;
import dev.vigil.core.store.StateStore;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The issues a receiver opened, per alert group (table {@code vigil_alert_ticket}), so a resolved
 * notice closes the issue its firing notice opened, across restarts.
 */
public final class Tickets {
  private final StateStore store;
  private final Clock clock;

  /** Tickets in {@code store} (migrating the alert tables). */
  public Tickets(StateStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    store.migrate("alert");
  }

  /** The issue {@code receiver} opened for {@code groupKey}. */
  public Optional<String> find(String receiver, String groupKey) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT external_id FROM vigil_alert_ticket WHERE receiver = :r "
        + "AND group_key = :g").bind("r", receiver).bind("g", groupKey).mapTo(String.class).findOne());
  }

  /** Records the issue opened for a group. */
  public void put(String receiver, String groupKey, String externalId) {
    store.jdbi().useHandle(h -> h.createUpdate("INSERT INTO vigil_alert_ticket(receiver, group_key, external_id, created_at) "
            + "VALUES (:r, :g, :id, :now) ON CONFLICT (receiver, group_key) DO UPDATE SET external_id = :id, created_at = :now")
        .bind("r", receiver).bind("g", groupKey).bind("id", externalId).bind("now", clock.millis()).execute());
  }

  /** Forgets the issue of a group (it was closed). */
  public void remove(String receiver, String groupKey) {
    store.jdbi().useHandle(h -> h.createUpdate("DELETE FROM vigil_alert_ticket WHERE receiver = :r AND group_key = :g")
        .bind("r", receiver).bind("g", groupKey).execute());
  }

  /**
   * The stable mark of the issue {@code receiver} opens for {@code groupKey}: {@code vigil-fp-} and a
   * hash of both, usable as a GitHub or JIRA label (no spaces, 25 characters), so an issue opened by an
   * attempt that died before {@link #put} can be found again at the vendor.
   */
  public static String marker(String receiver, String groupKey) {
    return "vigil-fp-" + Alert.fingerprint(Map.of("receiver", receiver, "group", groupKey));
  }
}
