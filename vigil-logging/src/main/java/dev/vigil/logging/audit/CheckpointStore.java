package dev.vigil.logging.audit;

import dev.vigil.core.store.StateStore;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/** Reads and writes the checkpoints of one chain in the state store ({@code vigil_audit_checkpoint}). */
final class CheckpointStore {
  private final StateStore store;
  private final String chain;
  private final AuditKey key;

  CheckpointStore(StateStore store, String chain, AuditKey key) {
    this.store = store;
    this.chain = chain;
    this.key = key;
  }

  /** Signs and stores a checkpoint for record {@code seq}. */
  Checkpoint write(long seq, String hash, long createdAt) {
    Checkpoint cp = new Checkpoint(seq, hash, createdAt, key.mac(Checkpoint.signed(chain, seq, hash, createdAt)));
    store.jdbi().useHandle(h -> h.createUpdate("INSERT INTO vigil_audit_checkpoint (chain, seq, hash, created_at, mac) "
            + "VALUES (:chain, :seq, :hash, :created, :mac) ON CONFLICT DO NOTHING")
        .bind("chain", chain).bind("seq", seq).bind("hash", hash).bind("created", createdAt).bind("mac", cp.mac())
        .execute());
    return cp;
  }

  /** Whether the checkpoint's MAC is right for this chain and key. */
  boolean authentic(Checkpoint cp) {
    return key.mac(Checkpoint.signed(chain, cp.seq(), cp.hash(), cp.createdAt())).equals(cp.mac());
  }

  /** Every checkpoint by seq. */
  NavigableMap<Long, Checkpoint> all() {
    TreeMap<Long, Checkpoint> out = new TreeMap<>();
    store.jdbi().useHandle(h -> h.createQuery("SELECT seq, hash, created_at, mac FROM vigil_audit_checkpoint "
            + "WHERE chain = :chain ORDER BY seq")
        .bind("chain", chain)
        .map((rs, ctx) -> new Checkpoint(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
        .forEach(cp -> out.put(cp.seq(), cp)));
    return out;
  }

  /** The newest checkpoint. */
  Optional<Checkpoint> last() {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT seq, hash, created_at, mac FROM vigil_audit_checkpoint "
            + "WHERE chain = :chain ORDER BY seq DESC LIMIT 1")
        .bind("chain", chain)
        .map((rs, ctx) -> new Checkpoint(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
        .findOne());
  }
}
