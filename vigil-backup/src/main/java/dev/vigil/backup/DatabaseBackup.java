package dev.vigil.backup;

import dev.vigil.backup.compress.Compression;
import dev.vigil.backup.jobs.JobSettings;
import dev.vigil.backup.engine.CredentialFile;
import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.backup.engine.DumpEngine;
import dev.vigil.backup.engine.DumpFormat;
import dev.vigil.backup.engine.DumpResult;
import dev.vigil.backup.engine.DumpSink;
import dev.vigil.backup.engine.EngineKind;
import dev.vigil.backup.engine.Preflight;
import dev.vigil.backup.engine.Redactor;
import dev.vigil.backup.engine.Tools;
import dev.vigil.backup.internal.fs.AtomicFiles;
import dev.vigil.backup.internal.fs.DirLock;
import dev.vigil.backup.manifest.BackupManifest;
import dev.vigil.backup.manifest.Manifests;
import dev.vigil.backup.manifest.Verification;
import dev.vigil.backup.restore.RestoreOptions;
import dev.vigil.backup.restore.RestoreResult;
import dev.vigil.backup.retention.Retention;
import dev.vigil.backup.retention.RetentionPolicy;
import dev.vigil.backup.retention.RetentionResult;
import dev.vigil.backup.store.BackupRun;
import dev.vigil.backup.store.BackupRuns;
import dev.vigil.backup.store.RunSummary;
import dev.vigil.backup.verify.VerificationResult;
import dev.vigil.core.fs.FileModes;
import dev.vigil.core.store.StateStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups of one database (the documented {@code DatabaseBackup}): create, list, verify, restore, delete
 * and rotate, in one backup directory.
 *
 * <p>A backup gets its final name only after the dump tool exited 0, the file was written in full,
 * flushed to disk and checksummed, and its manifest ({@code <file>.json}: tool versions, SHA-256,
 * times, row counts per table) is on disk. Anything else leaves no file under a final name and a
 * FAILED run in the state store with the reason. Files in the directory are created and removed
 * under an exclusive lock ({@link DirLock}), so concurrent runs and processes do not collide.
 * Every method is safe to call from several threads.
 *
 * <pre>{@code
 * try (DatabaseBackup backups = new DatabaseBackup("postgresql://app:secret@localhost/shop", Path.of("backups"))) {
 *   BackupRecord b = backups.createBackup("manual");
 *   backups.listBackups();                 // newest first
 *   backups.restoreBackup(b.filename());   // after the caller's explicit confirmation
 * }
 * }</pre>
 */
public final class DatabaseBackup implements AutoCloseable {
  /** The documented default {@code max_backups}. */
  public static final int DEFAULT_MAX_BACKUPS = 7;
  /** Compression of backup files unless the builder says otherwise. */
  public static final Compression DEFAULT_COMPRESSION = Compression.GZIP;
  /** The {@code pg_dump} format of PostgreSQL backups unless the builder says otherwise. */
  public static final DumpFormat DEFAULT_POSTGRES_FORMAT = DumpFormat.CUSTOM;
  /** The name prefix of scheduled and seed-style backups: {@code backup_YYYYMMDD_HHMMSS…}. */
  public static final String DEFAULT_PREFIX = "backup";
  /** The name prefix of the backup taken before a restore. */
  public static final String SAFETY_PREFIX = "safety";
  /** The configured name of the database behind {@code DATABASE_URL}. */
  public static final String DEFAULT_NAME = "default";

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseBackup.class);
  private static final long MIN_FREE_BYTES = 64 * 1024;
  private static final double COMPRESSED_RATIO = 0.35;

  private final String name;
  private final DatabaseUrl url;
  private final Path dir;
  private final Path workDir;
  private final Path credentialsDir;
  private final DatabaseUrl verifyUrl;
  private final DumpEngine engine;
  private final Compression compression;
  private final JobSettings jobs;
  private final RetentionPolicy retention;
  private final boolean verifyAfterBackup;
  private final Clock clock;
  private final StateStore store;
  private final boolean ownsStore;
  private final BackupRuns runs;
  private final BackupProgress progress;
  private final Redactor redactor;
  private final DirLock lock;

  /**
   * The documented {@code DatabaseBackup(database_url, backup_dir)}: keeps 7 backups, gzip-compressed.
   *
   * @see #DatabaseBackup(String, Path, int, boolean)
   */
  public DatabaseBackup(String databaseUrl, Path backupDir) {
    this(builder(databaseUrl, backupDir));
  }

  /**
   * The documented {@code DatabaseBackup(database_url, backup_dir, max_backups, compress)}. Records runs in
   * a private SQLite store under {@code backupDir/.vigil/}; use {@link #builder} to share Vigil's store,
   * pick zstd, a clock or a retention policy.
   *
   * @param maxBackups how many newest backups retention keeps (at least 1)
   * @param compress gzip when true, none when false
   */
  public DatabaseBackup(String databaseUrl, Path backupDir, int maxBackups, boolean compress) {
    this(builder(databaseUrl, backupDir).maxBackups(maxBackups).compress(compress));
  }

  private DatabaseBackup(Builder b) {
    this.name = b.name;
    this.url = DatabaseUrl.parse(b.databaseUrl);
    this.redactor = Redactor.of(url);
    this.dir = b.backupDir.toAbsolutePath().normalize();
    if (Files.isDirectory(dir)) {
      try {
        b.fileModes.directory(dir);
      } catch (UncheckedIOException e) {
        // a folder that cannot be changed (read-only media holding backups to restore) is used as it is;
        // nothing is written to it, so its permissions do not widen anything
        LOG.warn("cannot set the permissions of backup directory {}; using it as it is: {}", dir, e.getMessage());
      }
    } else {
      try {
        b.fileModes.directory(dir);
      } catch (UncheckedIOException e) {
        throw new BackupException("cannot create backup directory " + dir + ": " + e.getMessage(), e);
      }
    }
    this.credentialsDir = (b.credentialsDir != null ? b.credentialsDir : dir.resolve(".vigil").resolve("credentials"))
        .toAbsolutePath().normalize();
    try {
      CredentialFile.sweep(credentialsDir);
    } catch (BackupException e) {
      // checked again before each backup, which needs the folder; opening for listing or restore does not
      LOG.warn("cannot clean up credentials folder {} now: {}", credentialsDir, e.getMessage());
    }
    this.verifyUrl = b.verifyUrl == null ? null : DatabaseUrl.parse(b.verifyUrl);
    this.workDir = b.workDir == null ? dir : b.workDir.toAbsolutePath().normalize();
    this.compression = b.compression;
    this.retention = b.retention != null ? b.retention : RetentionPolicy.keepLast(b.maxBackups);
    this.verifyAfterBackup = b.verifyAfterBackup;
    this.clock = b.clock;
    this.progress = b.progress;
    this.jobs = b.jobs != null ? b.jobs : new JobSettings();
    this.engine = DumpEngine.create(url, b.tools, b.postgresFormat, credentialsDir, verifyUrl, b.clock, jobs);
    this.lock = DirLock.of(dir);
    if (b.store != null) {
      this.store = b.store;
      this.ownsStore = false;
    } else {
      try {
        this.store = StateStore.open(null, dir.resolve(".vigil"));
      } catch (RuntimeException e) {
        throw new BackupException("cannot open the backup run history in " + dir.resolve(".vigil") + ": "
            + e.getMessage(), e);
      }
      this.ownsStore = true;
    }
    try {
      this.runs = new BackupRuns(store, clock);
      runs.reapInterrupted(name);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** How heavy jobs run: the tools' priority and the compression level (changeable while in use). */
  public JobSettings jobSettings() {
    return jobs;
  }

  /** The compression of new backups. */
  public Compression compression() {
    return compression;
  }

  /** A builder for a backup of {@code databaseUrl} into {@code backupDir}. */
  public static Builder builder(String databaseUrl, Path backupDir) {
    return new Builder(databaseUrl, backupDir);
  }

  /** The database's configured name ({@value #DEFAULT_NAME} for {@code DATABASE_URL}). */
  public String name() {
    return name;
  }

  /** The database (its {@code toString()} hides the password). */
  public DatabaseUrl url() {
    return url;
  }

  /** The backup directory. */
  public Path backupDir() {
    return dir;
  }

  /** The retention policy applied after each backup. */
  public RetentionPolicy retentionPolicy() {
    return retention;
  }

  /** The clock that names backups and stamps runs. */
  public Clock clock() {
    return clock;
  }

  /** The state store that holds the run history (and the scheduler's last runs). */
  public StateStore stateStore() {
    return store;
  }

  /** Takes a backup named {@code backup_YYYYMMDD_HHMMSS…}. */
  public BackupRecord createBackup() {
    return createBackup(DEFAULT_PREFIX);
  }

  /**
   * Takes a backup named {@code <prefix>_YYYYMMDD_HHMMSS…}, verifies it (unless turned off in the
   * builder) and applies retention.
   *
   * @return the new backup, with its verification
   * @throws InvalidBackupNameException for a bad prefix
   * @throws BackupException when the backup failed (a FAILED run is recorded and no file is left)
   */
  public BackupRecord createBackup(String prefix) {
    return createBackup(prefix, null);
  }

  /**
   * Like {@link #createBackup(String)}, and pins the backup to recovery checkpoint {@code checkpoint}
   * (retention never removes a pinned backup, and it cannot be deleted while pinned).
   */
  public BackupRecord createBackup(String prefix, String checkpoint) {
    BackupName.checkPrefix(prefix);
    return lock.call(() -> {
      BackupManifest m = writeBackup(prefix, checkpoint);
      if (verifyAfterBackup) {
        VerificationResult v = verifyLocked(BackupName.parse(m.filename()));
        if (!v.ok()) {
          LOG.error("backup {} of {} was written but failed verification: {}", m.filename(), name, v.message());
        }
      }
      try {
        applyRetentionLocked();
      } catch (BackupException e) {
        LOG.error("retention after backup {} of {} failed (the backup itself is fine): {}", m.filename(), name,
            e.getMessage(), e);
      }
      return BackupRecord.of(Manifests.read(dir.resolve(m.filename() + ".json")));
    });
  }

  /** Every backup in the directory, newest first. */
  public List<BackupRecord> listBackups() {
    List<BackupName> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String fn = p.getFileName().toString();
        if (BackupName.isValid(fn) && Files.isRegularFile(p)) {
          names.add(BackupName.parse(fn));
        }
      }
    } catch (IOException e) {
      throw new BackupException("cannot list backup directory " + dir + ": " + e.getMessage(), e);
    }
    names.sort(Comparator.reverseOrder());
    List<BackupRecord> out = new ArrayList<>(names.size());
    for (BackupName n : names) {
      Path manifest = dir.resolve(n.manifestFilename());
      try {
        out.add(BackupRecord.of(Manifests.read(manifest)));
      } catch (BackupException e) {
        long size = sizeOf(dir.resolve(n.filename()));
        if (size < 0) {
          continue;
        }
        LOG.warn("backup {} in {} has no readable manifest: {}", n, dir, e.getMessage());
        out.add(new BackupRecord(n.filename(), size, n.timestamp(), name, url.engine().type(), n.format().id(),
            n.compression().id(), n.compression() != Compression.NONE, null, 0, null, null));
      }
    }
    return out;
  }

  /** The newest backup whose latest verification passed. */
  public Optional<BackupRecord> newestVerified() {
    return listBackups().stream().filter(BackupRecord::verified).findFirst();
  }

  /**
   * The manifest of a backup.
   *
   * @throws InvalidBackupNameException for a name that is not a backup name
   * @throws BackupNotFoundException when there is no such backup
   */
  public BackupManifest manifest(String filename) {
    BackupName n = BackupName.parse(filename);
    existing(n);
    return Manifests.read(dir.resolve(n.manifestFilename()));
  }

  /** The documented {@code get_backup_stats()}. */
  public BackupStats backupStats() {
    return BackupStats.of(listBackups());
  }

  /** Recent runs (backups, verifications, restores, deletions, retention passes), newest first, FAILED ones included. */
  public List<BackupRun> runs(int limit) {
    return runs.recent(name, limit);
  }

  /** The newest successful backup, newest finished verification and the count of failed backups, from the run history. */
  public RunSummary runSummary() {
    return runs.summary(name);
  }

  /**
   * Verifies a backup: its SHA-256 against the manifest, and a test restore into a scratch database
   * ({@code vigil_verify_<random>}, dropped after) or a temp SQLite file ({@code PRAGMA integrity_check})
   * whose row counts must equal the manifest's. The result is written into the manifest.
   *
   * @throws InvalidBackupNameException for a name that is not a backup name
   * @throws BackupNotFoundException when there is no such backup
   */
  public VerificationResult verifyBackup(String filename) {
    BackupName n = BackupName.parse(filename);
    return lock.call(() -> verifyLocked(n));
  }

  /** Verifies the newest backup, if there is one (for the scheduled verification). */
  public Optional<VerificationResult> verifyNewest() {
    List<BackupRecord> all = listBackups();
    return all.isEmpty() ? Optional.empty() : Optional.of(verifyBackup(all.get(0).filename()));
  }

  /**
   * Restores a backup over the database, after checking its checksum and taking a safety backup of
   * the current state. The caller must have obtained the user's explicit confirmation.
   *
   * @see #restoreBackup(String, RestoreOptions)
   */
  public RestoreResult restoreBackup(String filename) {
    return restoreBackup(filename, RestoreOptions.defaults());
  }

  /**
   * Restores a backup: checks its SHA-256 against the manifest (a damaged file changes nothing), takes
   * a safety backup {@code safety_…} of the current state when the database exists, then replaces the
   * content: PostgreSQL with {@code pg_restore --clean --if-exists --single-transaction} (or {@code psql
   * --single-transaction} for plain dumps), SQLite by an atomic rename of a checked temp file, MySQL
   * table by table (DDL commits implicitly there), putting the safety backup back when the load fails.
   * Needs only the database URL and the backup directory: no Vigil server.
   *
   * @throws InvalidBackupNameException for a name that is not a backup name
   * @throws BackupNotFoundException when there is no such backup
   * @throws BackupException when the restore failed; the message says what state the database is in
   */
  public RestoreResult restoreBackup(String filename, RestoreOptions options) {
    BackupName n = BackupName.parse(filename);
    Objects.requireNonNull(options, "options");
    return lock.call(() -> {
      Path file = existing(n);
      String runId = runs.start(name, "RESTORE", filename);
      Instant start = clock.instant();
      try {
        BackupManifest m = Manifests.read(dir.resolve(n.manifestFilename()));
        if (!m.engine().equals(url.engine().type())) {
          throw new BackupException("backup " + filename + " holds a " + m.engine() + " database but " + name + " is "
              + url.engine().type() + "; nothing was changed");
        }
        String actual = sha256Of(file);
        if (!actual.equals(m.sha256())) {
          throw new BackupException("backup " + filename + " is damaged: its SHA-256 is " + actual
              + " but the manifest says " + m.sha256() + "; nothing was changed");
        }
        String safety = null;
        String note = null;
        if (!options.safetyBackup()) {
          note = "no safety backup: skipped at the caller's request";
        } else if (engine.exists()) {
          try {
            safety = writeBackup(SAFETY_PREFIX, null).filename();
          } catch (BackupException e) {
            throw new BackupException("restore of " + filename + " not started: the safety backup of the current "
                + "state failed (" + e.getMessage() + "); nothing was changed. If the current database cannot be "
                + "dumped any more, restore with RestoreOptions.withoutSafetyBackup()", e);
          }
        } else {
          note = "no safety backup: the database did not exist";
        }
        try {
          load(n, "restore");
        } catch (BackupException e) {
          throw new BackupException("restore of " + filename + " into " + name + " (" + url + ") failed: "
              + e.getMessage() + afterFailedRestore(safety), e);
        }
        RestoreResult r = new RestoreResult(filename, name, safety, note, clock.instant(),
            Duration.between(start, clock.instant()).toMillis());
        runs.succeed(runId, filename, null, null);
        LOG.info("restored {} into {} ({}); safety backup {}", filename, name, url, safety);
        return r;
      } catch (RuntimeException e) {
        runs.fail(runId, filename, redactor.redact(e.getMessage()));
        throw e;
      }
    });
  }

  /**
   * Deletes a backup and its manifest.
   *
   * @return false when there was no such backup
   * @throws InvalidBackupNameException for a name that is not a backup name
   * @throws BackupInUseException when the backup belongs to a recovery checkpoint
   * @throws BackupException when it cannot be deleted
   */
  public boolean deleteBackup(String filename) {
    BackupName n = BackupName.parse(filename);
    return lock.call(() -> {
      Path file = dir.resolve(n.filename());
      if (!Files.isRegularFile(file)) {
        return false;
      }
      Path manifest = dir.resolve(n.manifestFilename());
      if (Files.exists(manifest)) {
        String cp = Manifests.read(manifest).checkpoint();
        if (cp != null) {
          throw new BackupInUseException(filename, cp);
        }
      }
      String runId = runs.start(name, "DELETE", filename);
      try {
        remove(n);
        AtomicFiles.fsyncDirectory(dir);
      } catch (IOException | RuntimeException e) {
        runs.fail(runId, filename, e.getMessage());
        throw new BackupException("deleting backup " + filename + " from " + dir + " failed: " + e.getMessage(), e);
      }
      runs.succeed(runId, filename, null, null);
      return true;
    });
  }

  /**
   * Pins a backup to a recovery checkpoint ({@code null} releases it), rewriting its manifest.
   *
   * @throws BackupNotFoundException when there is no such backup
   */
  public void setCheckpoint(String filename, String checkpoint) {
    BackupName n = BackupName.parse(filename);
    lock.run(() -> {
      existing(n);
      Path manifest = dir.resolve(n.manifestFilename());
      Manifests.write(manifest, Manifests.read(manifest).withCheckpoint(checkpoint));
    });
  }

  /**
   * Applies the retention policy now (it also runs after each successful backup). Backups pinned to a
   * recovery checkpoint and the newest verified backup are always kept.
   */
  public RetentionResult applyRetention() {
    return lock.call(this::applyRetentionLocked);
  }

  /** Closes the private state store, if this instance opened one. */
  @Override
  public void close() {
    if (ownsStore && store != null) {
      store.close();
    }
  }

  @Override
  public String toString() {
    return "DatabaseBackup[" + name + " " + url + " -> " + dir + "]";
  }

  // ---- internals (all called with the directory lock held) ----

  private BackupManifest writeBackup(String prefix, String checkpoint) {
    Instant started = clock.instant();
    sweep();
    CredentialFile.sweep(credentialsDir);
    runs.reapInterrupted(name);
    String runId = runs.start(name, "BACKUP", null);
    Path tmp = null;
    Path manifestPath = null;
    String filename = null;
    boolean published = false;
    try {
      Preflight preflight = engine.preflight();
      Compression internal = engine.compressesItself(compression) ? compression : Compression.NONE;
      Compression outer = internal == Compression.NONE ? compression : Compression.NONE;
      BackupName n = freshName(prefix, LocalDateTime.ofInstant(started, clock.getZone()), outer);
      filename = n.filename();
      Path finalPath = dir.resolve(filename);
      manifestPath = dir.resolve(n.manifestFilename());
      long estimate = checkFreeSpace(preflight.dataBytes());
      tmp = AtomicFiles.tempFor(finalPath);
      MessageDigest sha = sha256();
      DumpResult result;
      boolean synced = false;
      if (engine.format() == DumpFormat.SQLITE && compression == Compression.NONE) {
        result = engine.dump(new DumpSink(OutputStream.nullOutputStream(), tmp, workDir, Compression.NONE));
        FileModes.ofFolder(dir).file(tmp);
        digestWhileSyncing(tmp, sha);
        synced = true;
        progress.update("backup", filename, Files.size(tmp), estimate);
      } else {
        String fn = filename;
        AtomicFiles.createPrivate(tmp);
        try (OutputStream file = Files.newOutputStream(tmp, StandardOpenOption.WRITE);
            OutputStream metered = metered(new BufferedOutputStream(file, 1 << 20), "backup", fn, estimate);
            OutputStream digest = new DigestOutputStream(metered, sha);
            OutputStream compressed = outer.compress(digest, jobs.compressionLevel(outer))) {
          result = engine.dump(new DumpSink(compressed, null, workDir, internal));
        }
      }
      if (!synced) {
        AtomicFiles.fsync(tmp);
      }
      long size = Files.size(tmp);
      Instant finished = clock.instant();
      BackupManifest m = new BackupManifest(BackupManifest.VERSION, filename, name, url.redacted(),
          url.engine().type(), engine.format().id(), compression.id(), preflight.toolVersions(), size,
          HexFormat.of().formatHex(sha.digest()), n.timestamp(), started, finished,
          Duration.between(started, finished).toMillis(), result.rowCounts(), checkpoint, null);
      Manifests.write(manifestPath, m);
      AtomicFiles.rename(tmp, finalPath);
      published = true;
      AtomicFiles.fsyncDirectory(dir);
      runs.succeed(runId, filename, size, m.sha256());
      LOG.info("backup {} of {} ({}) written: {} bytes in {} ms", filename, name, url, size, m.durationMs());
      return m;
    } catch (IOException | RuntimeException e) {
      if (!published) {
        deleteLeftovers(tmp, manifestPath);
      }
      String reason = redactor.redact(String.valueOf(e.getMessage()));
      BackupException failure = new BackupException("backup of " + name + " (" + url + ") failed: " + reason, e);
      try {
        runs.fail(runId, filename, reason);
      } catch (RuntimeException recordFailure) {
        failure.addSuppressed(recordFailure);
      }
      LOG.error("backup of {} ({}) failed: {}", name, url, reason);
      throw failure;
    } finally {
      if (!published) {
        deleteLeftovers(tmp, manifestPath);
      }
    }
  }

  private VerificationResult verifyLocked(BackupName n) {
    Path file = existing(n);
    Path manifestPath = dir.resolve(n.manifestFilename());
    String runId = runs.start(name, "VERIFY", n.filename());
    Instant start = clock.instant();
    BackupManifest m;
    try {
      m = Manifests.read(manifestPath);
    } catch (BackupException e) {
      runs.fail(runId, n.filename(), e.getMessage());
      throw e;
    }
    MessageDigest sha = sha256();
    SortedMap<String, Long> restored = new TreeMap<>();
    String restoreError = null;
    long size = sizeOf(file);
    try (InputStream fin = Files.newInputStream(file);
        DigestInputStream din = new DigestInputStream(new BufferedInputStream(
            metered(fin, "verify", n.filename(), size), 1 << 16), sha)) {
      try (InputStream raw = n.compression().decompress(Metered.unclosable(din))) {
        restored = engine.testRestore(raw, n.format(), workDir);
      } catch (BackupException | IOException e) {
        restoreError = "test restore failed: " + redactor.redact(e.getMessage());
      }
      din.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      runs.fail(runId, n.filename(), e.getMessage());
      throw new BackupException("reading backup " + file + " failed: " + e.getMessage(), e);
    }
    String actual = HexFormat.of().formatHex(sha.digest());
    boolean checksumOk = actual.equals(m.sha256());
    List<String> mismatches = new ArrayList<>();
    if (restoreError == null) {
      for (String table : new TreeSet<>(union(m.tables(), restored))) {
        Long want = m.tables().get(table);
        Long got = restored.get(table);
        if (!Objects.equals(want, got)) {
          mismatches.add(table + ": expected " + (want == null ? "no table" : want + " rows") + ", got "
              + (got == null ? "no table" : got + " rows"));
        }
      }
    }
    List<String> problems = new ArrayList<>();
    if (!checksumOk) {
      problems.add("checksum mismatch: the manifest says " + m.sha256() + " but the file's SHA-256 is " + actual);
    }
    if (restoreError != null) {
      problems.add(restoreError);
    }
    if (!mismatches.isEmpty()) {
      problems.add("row counts differ: " + String.join(", ", mismatches));
    }
    boolean ok = problems.isEmpty();
    Instant end = clock.instant();
    Verification v = new Verification(end, ok, ok ? "ok" : String.join("; ", problems),
        Duration.between(start, end).toMillis());
    Manifests.write(manifestPath, m.withVerification(v));
    if (ok) {
      runs.succeed(runId, n.filename(), null, null);
      LOG.info("backup {} of {} verified in {} ms", n, name, v.durationMs());
    } else {
      runs.fail(runId, n.filename(), v.message());
      LOG.error("backup {} of {} failed verification: {}", n, name, v.message());
    }
    return new VerificationResult(n.filename(), ok, checksumOk, restoreError == null, m.sha256(), actual, m.tables(),
        restored, mismatches, v);
  }

  private RetentionResult applyRetentionLocked() {
    String runId = runs.start(name, "RETENTION", null);
    try {
      List<BackupRecord> all = listBackups();
      Map<String, List<String>> reasons = new LinkedHashMap<>();
      List<BackupRecord> candidates = new ArrayList<>();
      for (BackupRecord r : all) {
        if (r.checkpoint() != null) {
          reasons.put(r.filename(), List.of("checkpoint " + r.checkpoint()));
        } else {
          candidates.add(r);
        }
      }
      Comparator<BackupRecord> newestFirst = Comparator.comparing((BackupRecord r) -> BackupName.parse(r.filename()))
          .reversed();
      Retention.Decision<BackupRecord> d = Retention.apply(candidates, newestFirst, BackupRecord::timestamp, retention);
      d.reasons().forEach((r, why) -> reasons.put(r.filename(), why));
      Optional<BackupRecord> newestVerified = all.stream().filter(BackupRecord::verified).findFirst();
      List<String> deleted = new ArrayList<>();
      for (BackupRecord r : d.remove()) {
        if (newestVerified.isPresent() && newestVerified.get().filename().equals(r.filename())) {
          reasons.put(r.filename(), List.of("newest verified backup"));
          continue;
        }
        remove(BackupName.parse(r.filename()));
        deleted.add(r.filename());
      }
      if (!deleted.isEmpty()) {
        AtomicFiles.fsyncDirectory(dir);
        LOG.info("retention removed {} backup(s) of {}: {}", deleted.size(), name, deleted);
      }
      List<String> kept = all.stream().map(BackupRecord::filename).filter(f -> !deleted.contains(f)).toList();
      runs.succeed(runId, null, null, null);
      return new RetentionResult(kept, deleted, reasons);
    } catch (IOException | RuntimeException e) {
      runs.fail(runId, null, e.getMessage());
      throw new BackupException("retention in " + dir + " for " + name + " failed: " + e.getMessage(), e);
    }
  }

  private void load(BackupName n, String operation) {
    Path file = dir.resolve(n.filename());
    try (InputStream fin = Files.newInputStream(file);
        InputStream raw = n.compression().decompress(new BufferedInputStream(
            metered(fin, operation, n.filename(), sizeOf(file)), 1 << 16))) {
      engine.restore(raw, n.format());
    } catch (IOException e) {
      throw new BackupException("reading backup " + file + " failed: " + e.getMessage(), e);
    }
  }

  private String afterFailedRestore(String safety) {
    if (safety == null) {
      return url.engine().atomicRestore() ? "; the database was not changed"
          : "; no safety backup existed, the database may be partly restored";
    }
    if (url.engine().atomicRestore()) {
      return "; the database was not changed (safety backup " + safety + " kept)";
    }
    try {
      load(BackupName.parse(safety), "restore");
      return "; the previous state was put back from safety backup " + safety;
    } catch (BackupException e) {
      return "; putting back safety backup " + safety + " also failed (" + e.getMessage()
          + "), restore it by hand";
    }
  }

  /** Removes temp files of killed runs and manifests whose backup file is gone. */
  private void sweep() {
    List<Path> doomed = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String fn = p.getFileName().toString();
        if (AtomicFiles.isTemp(fn)) {
          doomed.add(p);
        } else if (fn.endsWith(".json") && BackupName.isValid(fn.substring(0, fn.length() - 5))
            && !Files.exists(dir.resolve(fn.substring(0, fn.length() - 5)))) {
          doomed.add(p);
        }
      }
      for (Path p : doomed) {
        Files.deleteIfExists(p);
        LOG.info("removed leftover {} of an interrupted run", p);
      }
      if (!doomed.isEmpty()) {
        AtomicFiles.fsyncDirectory(dir);
      }
    } catch (IOException e) {
      throw new BackupException("cannot clean up backup directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * A name for a new backup taken at {@code time}: its sequence number is past every backup of the same
   * second already here, so the new backup sorts newest and retention cannot take it for an older one
   * (a lower free number, left by a removed backup, would sort before the survivors of that second).
   */
  private BackupName freshName(String prefix, LocalDateTime time, Compression outer) {
    LocalDateTime second = time.truncatedTo(ChronoUnit.SECONDS); // names carry whole seconds
    int first = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String fn = p.getFileName().toString();
        String backup = fn.endsWith(".json") ? fn.substring(0, fn.length() - ".json".length()) : fn;
        if (BackupName.isValid(backup)) {
          BackupName existing = BackupName.parse(backup);
          if (existing.timestamp().equals(second)) { // parsed from a name: whole seconds
            first = Math.max(first, existing.sequence() + 1);
          }
        }
      }
    } catch (IOException e) {
      throw new BackupException("cannot list backup directory " + dir + ": " + e.getMessage(), e);
    }
    for (int seq = first; seq <= 9999; seq++) {
      BackupName n = new BackupName(prefix, time, seq, engine.format(), outer);
      if (!Files.exists(dir.resolve(n.filename())) && !Files.exists(dir.resolve(n.manifestFilename()))) {
        return n;
      }
    }
    throw new BackupException("too many backups named " + prefix + " at " + time + " in " + dir);
  }

  private long checkFreeSpace(long dataBytes) throws IOException {
    long free = Files.getFileStore(dir).getUsableSpace();
    double factor = compression == Compression.NONE ? 1.0 : COMPRESSED_RATIO;
    if (engine.format() == DumpFormat.SQLITE && compression != Compression.NONE) {
      factor += 1.0;
    }
    long estimate = Math.max(MIN_FREE_BYTES, (long) (dataBytes * factor));
    List<BackupRecord> existing = listBackups();
    if (!existing.isEmpty()) {
      estimate = Math.max(estimate, (long) (existing.get(0).sizeBytes() * 1.1));
    }
    if (free < estimate) {
      throw new BackupException(String.format(Locale.ROOT,
          "not enough free space in %s for a backup of %s: about %.1f MB needed, %.1f MB free", dir, name,
          estimate / 1048576.0, free / 1048576.0));
    }
    return estimate;
  }

  private Path existing(BackupName n) {
    Path file = dir.resolve(n.filename());
    if (!file.getParent().equals(dir) || !Files.isRegularFile(file)) {
      throw new BackupNotFoundException(n.filename(), dir);
    }
    return file;
  }

  private void remove(BackupName n) throws IOException {
    Files.deleteIfExists(dir.resolve(n.filename()));
    Files.deleteIfExists(dir.resolve(n.manifestFilename()));
  }

  private static void deleteLeftovers(Path tmp, Path manifest) {
    for (Path p : new Path[] {tmp, manifest}) {
      if (p == null) {
        continue;
      }
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        LOG.error("cannot remove leftover {} of a failed backup; it is swept on the next run: {}", p, e.getMessage());
      }
    }
  }

  private OutputStream metered(OutputStream out, String op, String filename, long total) {
    return progress == BackupProgress.NONE ? out : Metered.out(out, n -> progress.update(op, filename, n, total));
  }

  private InputStream metered(InputStream in, String op, String filename, long total) {
    return progress == BackupProgress.NONE ? in : Metered.in(in, n -> progress.update(op, filename, n, total));
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }

  private static String sha256Of(Path file) {
    MessageDigest sha = sha256();
    try {
      digestFile(file, sha);
    } catch (IOException e) {
      throw new BackupException("reading backup " + file + " failed: " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * Checksums a file the engine wrote directly (SQLite) while another thread flushes it to disk: the
   * digest reads the page cache on one core while the flush waits on the disk.
   */
  private static void digestWhileSyncing(Path file, MessageDigest sha) throws IOException {
    FutureTask<Void> sync = new FutureTask<>(() -> {
      AtomicFiles.fsync(file);
      return null;
    });
    Thread t = new Thread(sync, "vigil-backup-fsync");
    t.setDaemon(true);
    t.start();
    IOException digestFailure = null;
    try {
      digestFile(file, sha);
    } catch (IOException e) {
      digestFailure = e;
    }
    try {
      sync.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while flushing " + file, e);
    } catch (ExecutionException e) {
      IOException syncFailure = e.getCause() instanceof IOException io ? io
          : new IOException("flushing " + file + " failed: " + e.getCause(), e.getCause());
      if (digestFailure != null) {
        syncFailure.addSuppressed(digestFailure);
      }
      throw syncFailure;
    }
    if (digestFailure != null) {
      throw digestFailure;
    }
  }

  private static void digestFile(Path file, MessageDigest sha) throws IOException {
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        sha.update(buf, 0, n);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  private static List<String> union(Map<String, Long> a, Map<String, Long> b) {
    List<String> keys = new ArrayList<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }

  /** Options for a {@link DatabaseBackup}; every setter has the documented default. */
  public static final class Builder {
    private final String databaseUrl;
    private final Path backupDir;
    private String name = DEFAULT_NAME;
    private int maxBackups = DEFAULT_MAX_BACKUPS;
    private RetentionPolicy retention;
    private Compression compression = DEFAULT_COMPRESSION;
    private JobSettings jobs;
    private DumpFormat postgresFormat = DEFAULT_POSTGRES_FORMAT;
    private Clock clock = Clock.systemDefaultZone();
    private StateStore store;
    private Tools tools = Tools.onPath();
    private boolean verifyAfterBackup = true;
    private Path workDir;
    private Path credentialsDir;
    private String verifyUrl;
    private FileModes fileModes = FileModes.PRIVATE;
    private BackupProgress progress = BackupProgress.NONE;

    private Builder(String databaseUrl, Path backupDir) {
      this.databaseUrl = Objects.requireNonNull(databaseUrl, "databaseUrl");
      this.backupDir = Objects.requireNonNull(backupDir, "backupDir");
    }

    /** The database's configured name (default {@value #DEFAULT_NAME}); runs are recorded under it. */
    public Builder name(String name) {
      if (name == null || !name.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
        throw new IllegalArgumentException("database name must be 1-64 lower-case letters, digits, '_' or '-': "
            + name);
      }
      this.name = name;
      return this;
    }

    /** Keep the newest {@code n} backups (default 7); {@code -1} keeps all. */
    public Builder maxBackups(int n) {
      if (n == 0 || n < -1) {
        throw new IllegalArgumentException("maxBackups must be at least 1 (or -1 for all); got " + n);
      }
      this.maxBackups = n;
      return this;
    }

    /** A full retention policy (replaces {@link #maxBackups(int)}). */
    public Builder retention(RetentionPolicy policy) {
      this.retention = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * How heavy jobs run (default: a fresh {@link JobSettings}, normal priority and default levels); give
     * one instance to several databases to change them together.
     */
    public Builder jobSettings(JobSettings settings) {
      this.jobs = Objects.requireNonNull(settings, "jobSettings");
      return this;
    }

    /** gzip when true (the default), no compression when false. */
    public Builder compress(boolean compress) {
      this.compression = compress ? Compression.GZIP : Compression.NONE;
      return this;
    }

    /** gzip, zstd or none. */
    public Builder compression(Compression compression) {
      this.compression = Objects.requireNonNull(compression, "compression");
      return this;
    }

    /** PostgreSQL dump format: {@link DumpFormat#CUSTOM} (default) or {@link DumpFormat#PLAIN}. */
    public Builder postgresFormat(DumpFormat format) {
      if (format != DumpFormat.CUSTOM && format != DumpFormat.PLAIN) {
        throw new IllegalArgumentException("PostgreSQL format must be custom or plain; got " + format.id());
      }
      this.postgresFormat = format;
      return this;
    }

    /** The clock that names backups (its zone gives the local time in names) and stamps runs. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Vigil's state store for run records (not closed by the backup); default a private SQLite store. */
    public Builder stateStore(StateStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Where {@code pg_dump}, {@code mariadb-dump}, … are (default: the {@code PATH}). */
    public Builder tools(Tools tools) {
      this.tools = Objects.requireNonNull(tools, "tools");
      return this;
    }

    /** Verify each new backup by a test restore (default true). */
    public Builder verifyAfterBackup(boolean verify) {
      this.verifyAfterBackup = verify;
      return this;
    }

    /** Directory for temp copies during SQLite backups and verifications (default: the backup directory). */
    public Builder workDir(Path dir) {
      this.workDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * The private folder (0700) for the short-lived files that hand a password to {@code pg_dump} or
     * {@code mariadb-dump}; the server passes {@code <data_dir>/credentials}. Default
     * {@code <backupDir>/.vigil/credentials}. Leftovers of killed runs are removed at start and before
     * each backup.
     */
    public Builder credentialsDir(Path dir) {
      this.credentialsDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * A server of the same engine to test-restore into (a scratch database is created and dropped
     * there), so the backed-up server needs no CREATEDB grant; default the backed-up server itself.
     * The URL's database names the one to connect to for creating scratch databases.
     */
    public Builder verifyUrl(String url) {
      this.verifyUrl = url;
      return this;
    }

    /**
     * Permissions of the backup folder and files: owner only (the default, 0700/0600) or readable by a
     * group (0750/0640).
     */
    public Builder fileModes(FileModes modes) {
      this.fileModes = Objects.requireNonNull(modes, "modes");
      return this;
    }

    /** Receives progress of backups, verifications and restores. */
    public Builder progress(BackupProgress progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /**
     * Creates the backup manager.
     *
     * @throws IllegalArgumentException for a bad URL (the message hides the password)
     * @throws BackupException when the directory or the run history cannot be opened
     */
    public DatabaseBackup build() {
      return new DatabaseBackup(this);
    }
  }
}
