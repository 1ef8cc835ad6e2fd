package dev.vigil.logging.audit;

import dev.vigil.core.fs.FileModes;
import dev.vigil.core.store.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads and writes the checkpoints of one chain in two places: the state store
 * ({@code vigil_audit_checkpoint}) and a file beside the audit files ({@code <app>_audit.checkpoints},
 * one {@code seq hash createdAt mac} line each, appended and synced). Erasing the checkpoints takes
 * erasing both; {@link #all()} reads the union.
 */
final class CheckpointStore {
  private final StateStore store;
  private final String chain;
  private final AuditKey key;
  private final Path file;

  CheckpointStore(StateStore store, String chain, AuditKey key, Path file) {
    this.store = store;
    this.chain = chain;
    this.key = key;
    this.file = file;
  }

  /** The checkpoint file beside the audit files of {@code app} in {@code logDir}. */
  static Path fileIn(Path logDir, String app) {
    return logDir.resolve(app + "_audit.checkpoints");
  }

  /** The checkpoint file. */
  Path file() {
    return file;
  }

  /** Signs and stores a checkpoint for record {@code seq}, in the store and in the file. */
  Checkpoint write(long seq, String hash, long createdAt) {
    Checkpoint cp = new Checkpoint(seq, hash, createdAt, key.mac(Checkpoint.signed(chain, seq, hash, createdAt)));
    store.jdbi().useHandle(h -> h.createUpdate("INSERT INTO vigil_audit_checkpoint (chain, seq, hash, created_at, mac) "
            + "VALUES (:chain, :seq, :hash, :created, :mac) ON CONFLICT DO NOTHING")
        .bind("chain", chain).bind("seq", seq).bind("hash", hash).bind("created", createdAt).bind("mac", cp.mac())
        .execute());
    append(cp);
    return cp;
  }

  private void append(Checkpoint cp) {
    byte[] line = (cp.seq() + " " + cp.hash() + " " + cp.createdAt() + " " + cp.mac() + "\n")
        .getBytes(StandardCharsets.US_ASCII);
    try {
      if (Files.notExists(file)) {
        FileModes.ofFolder(file.getParent()).newFile(file);
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append the audit checkpoint for seq " + cp.seq() + " to " + file, e);
    }
  }

  /** Whether the checkpoint's MAC is right for this chain and key. */
  boolean authentic(Checkpoint cp) {
    return key.mac(Checkpoint.signed(chain, cp.seq(), cp.hash(), cp.createdAt())).equals(cp.mac());
  }

  /**
   * Every checkpoint by seq, from the store and the file; where both hold one for a seq, the store's
   * (see {@link #firstForgedInFile()} for the file's own).
   *
   * @throws AuditException naming the file and line of a malformed checkpoint line
   */
  NavigableMap<Long, Checkpoint> all() {
    TreeMap<Long, Checkpoint> out = new TreeMap<>();
    store.jdbi().useHandle(h -> h.createQuery("SELECT seq, hash, created_at, mac FROM vigil_audit_checkpoint "
            + "WHERE chain = :chain ORDER BY seq")
        .bind("chain", chain)
        .map((rs, ctx) -> new Checkpoint(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
        .forEach(cp -> out.put(cp.seq(), cp)));
    for (Checkpoint cp : fromFile()) {
      out.putIfAbsent(cp.seq(), cp);
    }
    return out;
  }

  /**
   * The first line of the checkpoint file whose MAC is wrong or that contradicts the store's checkpoint
   * for the same seq, as {@code "line N (seq S)"}; empty when the file is consistent.
   */
  Optional<String> firstForgedInFile() {
    Map<Long, Checkpoint> stored = new HashMap<>();
    store.jdbi().useHandle(h -> h.createQuery("SELECT seq, hash, created_at, mac FROM vigil_audit_checkpoint "
            + "WHERE chain = :chain")
        .bind("chain", chain)
        .map((rs, ctx) -> new Checkpoint(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
        .forEach(cp -> stored.put(cp.seq(), cp)));
    List<Checkpoint> lines = fromFile();
    for (int i = 0; i < lines.size(); i++) {
      Checkpoint cp = lines.get(i);
      Checkpoint s = stored.get(cp.seq());
      // the same seq may be checkpointed again (a process opening the log checkpoints where it found
      // it), so a line agrees with the store when its seq and hash do
      if (!authentic(cp) || (s != null && authentic(s) && !s.hash().equals(cp.hash()))) {
        return Optional.of("line " + (i + 1) + " (seq " + cp.seq() + ")");
      }
    }
    return Optional.empty();
  }

  private List<Checkpoint> fromFile() {
    if (Files.notExists(file)) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read audit checkpoints " + file, e);
    }
    List<Checkpoint> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String[] p = lines.get(i).split(" ");
      try {
        if (p.length != 4) {
          throw new IllegalArgumentException("expected 4 fields");
        }
        out.add(new Checkpoint(Long.parseLong(p[0]), p[1], Long.parseLong(p[2]), p[3]));
      } catch (IllegalArgumentException e) {
        throw new AuditException("audit checkpoint file " + file + " line " + (i + 1) + " is malformed ("
            + e.getMessage() + ")", e);
      }
    }
    return out;
  }

  /** The newest checkpoint (store or file). */
  Optional<Checkpoint> last() {
    NavigableMap<Long, Checkpoint> all = all();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.lastEntry().getValue());
  }
}
