package dev.vigil.backup.checkpoint;

import dev.vigil.backup.BackupCatalog;
import dev.vigil.backup.BackupException;
import dev.vigil.backup.BackupRecord;
import dev.vigil.backup.DatabaseBackup;
import dev.vigil.backup.internal.fs.AtomicFiles;
import dev.vigil.backup.internal.fs.DirLock;
import dev.vigil.backup.manifest.Json;
import dev.vigil.backup.restore.RestoreResult;
import dev.vigil.backup.verify.VerificationResult;
import dev.vigil.core.fs.FileModes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery checkpoints ({@code DisasterRecovery}: {@code createCheckpoint}, {@code rollback},
 * {@code validate}): a named set of backups of every database in a {@link BackupCatalog}, taken
 * together, and a rollback that restores them all, each after its own safety backup. A checkpoint is
 * a JSON file in {@code <root>/checkpoints/}; its backups are pinned (retention keeps them and they
 * cannot be deleted) until the checkpoint is deleted.
 */
public final class RecoveryCheckpoints {
  /** The name prefix of checkpoint backups. */
  public static final String PREFIX = "checkpoint";
  private static final Logger LOG = LoggerFactory.getLogger(RecoveryCheckpoints.class);
  private static final String NAME = "[a-z0-9][a-z0-9_-]{0,63}";
  private static final DateTimeFormatter AUTO = DateTimeFormatter.ofPattern("'cp-'uuuuMMdd-HHmmss");

  private final BackupCatalog catalog;
  private final Clock clock;
  private final Path dir;

  /** Checkpoints over {@code catalog}'s databases, stored under {@code <root>/checkpoints}. */
  public RecoveryCheckpoints(BackupCatalog catalog, Clock clock) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.dir = catalog.root().resolve("checkpoints");
  }

  /** Creates a checkpoint named {@code cp-YYYYMMDD-HHMMSS} (the documented {@code createCheckpoint()}). */
  public Checkpoint createCheckpoint() {
    return createCheckpoint(AUTO.format(LocalDateTime.now(clock)));
  }

  /**
   * Backs up every database and records the set as checkpoint {@code name}. When one backup fails,
   * the backups already taken for it are removed and nothing is recorded.
   *
   * @throws IllegalArgumentException for a bad or existing name
   * @throws BackupException naming the database whose backup failed
   */
  public Checkpoint createCheckpoint(String name) {
    checkName(name);
    createDir();
    return DirLock.of(dir).call(() -> {
      if (Files.exists(file(name))) {
        throw new IllegalArgumentException("checkpoint " + name + " already exists");
      }
      Map<String, String> backups = new LinkedHashMap<>();
      for (DatabaseBackup db : catalog.all()) {
        try {
          BackupRecord r = db.createBackup(PREFIX, name);
          backups.put(db.name(), r.filename());
        } catch (RuntimeException e) {
          undo(backups);
          throw new BackupException("checkpoint " + name + " not created: the backup of database " + db.name()
              + " failed: " + e.getMessage(), e);
        }
      }
      Checkpoint cp = new Checkpoint(name, clock.instant(), backups);
      try {
        AtomicFiles.write(file(name), Json.MAPPER.writeValueAsBytes(cp));
      } catch (IOException e) {
        undo(backups);
        throw new BackupException("writing checkpoint " + file(name) + " failed: " + e.getMessage(), e);
      }
      LOG.info("recovery checkpoint {} created: {}", name, backups);
      return cp;
    });
  }

  /** Every checkpoint, newest first. */
  public List<Checkpoint> list() {
    List<Checkpoint> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.substring(0, n.length() - 5).matches(NAME)) {
          out.add(read(p));
        }
      }
    } catch (IOException e) {
      throw new BackupException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(Checkpoint::createdAt).reversed());
    return out;
  }

  /** The checkpoint named {@code name}, if any. */
  public Optional<Checkpoint> get(String name) {
    checkName(name);
    Path p = file(name);
    return Files.exists(p) ? Optional.of(read(p)) : Optional.empty();
  }

  /**
   * Restores every database of checkpoint {@code name}, each after a safety backup of its current
   * state (the documented {@code rollback(checkpoint)}). The caller must have the user's confirmation.
   *
   * @throws IllegalArgumentException when there is no such checkpoint
   * @throws BackupException naming the database where the rollback stopped and those already restored
   */
  public RollbackResult rollback(String name) {
    Checkpoint cp = get(name).orElseThrow(() -> new IllegalArgumentException("no checkpoint named " + name));
    Map<String, RestoreResult> done = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : cp.backups().entrySet()) {
      try {
        done.put(e.getKey(), catalog.database(e.getKey()).restoreBackup(e.getValue()));
      } catch (RuntimeException ex) {
        throw new BackupException("rollback to checkpoint " + name + " stopped at database " + e.getKey() + ": "
            + ex.getMessage() + "; already restored: " + done.keySet() + " (safety backups: "
            + done.values().stream().map(RestoreResult::safetyBackup).toList() + ")", ex);
      }
    }
    LOG.info("rolled back to recovery checkpoint {}", name);
    return new RollbackResult(name, done);
  }

  /** Verifies every backup of checkpoint {@code name} (the documented {@code validate()}). */
  public Map<String, VerificationResult> validate(String name) {
    Checkpoint cp = get(name).orElseThrow(() -> new IllegalArgumentException("no checkpoint named " + name));
    Map<String, VerificationResult> out = new LinkedHashMap<>();
    cp.backups().forEach((db, file) -> out.put(db, catalog.database(db).verifyBackup(file)));
    return out;
  }

  /**
   * Deletes checkpoint {@code name} and unpins its backups (retention may then remove them).
   *
   * @return false when there was no such checkpoint
   */
  public boolean delete(String name) {
    checkName(name);
    if (!Files.isDirectory(dir)) {
      return false;
    }
    return DirLock.of(dir).call(() -> {
      Path p = file(name);
      if (!Files.exists(p)) {
        return false;
      }
      Checkpoint cp = read(p);
      cp.backups().forEach((db, file) -> {
        DatabaseBackup d = catalog.database(db);
        if (Files.exists(d.backupDir().resolve(file))) {
          d.setCheckpoint(file, null);
        }
      });
      try {
        Files.delete(p);
        AtomicFiles.fsyncDirectory(dir);
      } catch (IOException e) {
        throw new BackupException("deleting checkpoint " + p + " failed: " + e.getMessage(), e);
      }
      return true;
    });
  }

  private void undo(Map<String, String> backups) {
    backups.forEach((db, file) -> {
      DatabaseBackup d = catalog.database(db);
      try {
        d.setCheckpoint(file, null);
        d.deleteBackup(file);
      } catch (RuntimeException e) {
        LOG.error("could not remove backup {} of {} after a failed checkpoint: {}", file, db, e.getMessage());
      }
    });
  }

  private static Checkpoint read(Path p) {
    try {
      return Json.MAPPER.readValue(Files.readAllBytes(p), Checkpoint.class);
    } catch (IOException e) {
      throw new BackupException("checkpoint file " + p + " is not readable: " + e.getMessage(), e);
    }
  }

  private Path file(String name) {
    return dir.resolve(name + ".json");
  }

  private void createDir() {
    try {
      FileModes.ofFolder(Files.isDirectory(dir.getParent()) ? dir.getParent() : null).directory(dir);
    } catch (UncheckedIOException e) {
      throw new BackupException("cannot create checkpoint directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void checkName(String name) {
    if (name == null || !name.matches(NAME)) {
      throw new IllegalArgumentException("checkpoint name must be 1-64 lower-case letters, digits, '_' or '-', "
          + "starting with a letter or digit; got '" + (name == null ? "null" : name.length() > 80
          ? name.substring(0, 80) + "…" : name) + "'");
    }
  }
}
