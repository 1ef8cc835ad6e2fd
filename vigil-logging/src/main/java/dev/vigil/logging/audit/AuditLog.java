package dev.vigil.logging.audit;

import dev.vigil.core.fs.FileModes;
import dev.vigil.core.store.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tamper-evident audit trail: {@link #log} appends one JSON line per event to
 * {@code <logDir>/<app>_audit.log} with its own writer (not Logback), chained by SHA-256, durable when
 * {@code log} returns. Concurrent appenders share one fsync (group commit by a single sync thread),
 * and several processes may append to the same log (the server and an offline {@code vigil token}
 * command): each batch is written under an exclusive lock on {@code <logDir>/.<app>_audit.lock}, and a
 * writer first re-reads the tail when another process appended or rotated since its last batch.
 * Every record is indexed in the state store for {@link #report}; keyed checkpoints (HMAC with
 * {@code <dataDir>/audit.key}) are stored there every N records or T seconds and at {@link #close}.
 *
 * <p>Opening verifies the whole chain and refuses to append to a tampered one; a torn last line left by
 * a crash is truncated away and reported (WARN, {@link #repairedBytes()}, and an {@code AUDIT_REPAIR}
 * record in the trail itself).
 */
public final class AuditLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  private static final int MAX_RECORD_BYTES = 64 * 1024;
  /** Free bytes below which {@link #unavailable()} reports the audit log unable to take events. */
  public static final long MIN_FREE_BYTES = 64 * 1024;

  private final AuditOptions options;
  private final AuditSegments segments;
  private final CheckpointStore checkpoints;
  private final FileModes modes;
  private final AuditIndex index;
  private final long repairedBytes;

  private final ReentrantLock lock = new ReentrantLock();
  private final ReentrantLock ioLock = new ReentrantLock();
  private final FileChannel lockFile;
  private final Condition hasWork = lock.newCondition();
  private final Condition indexed = lock.newCondition();
  private List<Pending> queue = new ArrayList<>();
  private volatile long lastSeq;
  private String lastHash;
  private long appended;
  private Object fileKey;
  private boolean closing;
  private boolean closed;
  private volatile AuditException failure;
  private volatile FileStore logStore;

  private FileChannel channel;
  private ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
  private long fileSize;
  private long durableSeq;
  private String durableHash;
  private long checkpointSeq;
  private long checkpointAt;
  private long indexedOrdinal;
  private final LinkedBlockingQueue<IndexBatch> toIndex = new LinkedBlockingQueue<>();
  private final Thread syncer;
  private final Thread indexer;

  private record Pending(String eventType, String userId, String action, String resource, Map<String, Object> details,
      String ip, CompletableFuture<AuditRecord> done, long ordinal) {
  }

  /** Durable records for the index; {@code ordinal} is the append count they reach (-1: stop). */
  private record IndexBatch(List<AuditRecord> records, long ordinal) {
  }

  private AuditLog(AuditOptions options, StateStore store) {
    this.options = options;
    this.segments = new AuditSegments(options.logDir(), options.app());
    store.migrate("audit");
    AuditKey key = AuditKey.load(options.dataDir(), true);
    this.checkpoints = new CheckpointStore(store, options.app(), key,
        CheckpointStore.fileIn(options.logDir(), options.app()));
    this.index = new AuditIndex(store, options.app());
    try {
      this.modes = options.fileModes();
      modes.directory(options.logDir());
      if (Files.notExists(segments.lockFile())) {
        modes.newFile(segments.lockFile());
      }
      this.lockFile = FileChannel.open(segments.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the audit lock " + segments.lockFile(), e);
    }
    try {
      this.repairedBytes = withFileLock(this::recover);
    } catch (RuntimeException e) {
      closeQuietly(lockFile, e);
      throw e;
    }
    syncer = new Thread(this::syncLoop, "vigil-audit-sync-" + options.app());
    indexer = new Thread(this::indexLoop, "vigil-audit-index-" + options.app());
    syncer.setDaemon(true);
    indexer.setDaemon(true);
    syncer.start();
    indexer.start();
    if (repairedBytes > 0) {
      log("AUDIT_REPAIR", null, "audit.repair", "file:" + segments.active().getFileName(), repairDetails(repairedBytes),
          null);
    }
  }

  /** Under the file lock at open: repairs a torn tail, verifies the chain, catches the index up. */
  private long recover() throws IOException {
    long torn = repairTornTail();
    ChainVerifier verifier = new ChainVerifier(segments, checkpoints, index);
    VerifyResult v = verifier.verify();
    if (!v.ok()) {
      throw new AuditException("audit log " + segments.active() + " fails verification, refusing to append to it: "
          + v.summary() + " — inspect it with `vigil audit verify`");
    }
    lastSeq = v.records();
    lastHash = verifier.lastHash();
    durableSeq = lastSeq;
    durableHash = lastHash;
    catchUpIndex();
    Optional<Checkpoint> lastCheckpoint = checkpoints.last();
    checkpointSeq = lastCheckpoint.map(Checkpoint::seq).orElse(0L);
    if (lastCheckpoint.isEmpty() && lastSeq == 0) {
      // a new chain: its start is vouched for at once, so a chain with records and no checkpoint at all
      // can only be one whose checkpoints were erased
      checkpoints.write(0, AuditRecord.GENESIS, options.clock().millis());
    } else if (lastSeq > checkpointSeq) {
      checkpoints.write(lastSeq, lastHash, options.clock().millis());
      checkpointSeq = lastSeq;
    }
    checkpointAt = options.clock().millis();
    openActive();
    return torn;
  }

  private Map<String, Object> repairDetails(long torn) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("torn_bytes", torn);
    details.put("after_seq", lastSeq);
    details.put("reason", "torn last line truncated after a crash");
    return details;
  }

  /** An action run while holding the audit file lock. */
  @FunctionalInterface
  private interface Locked<T> {
    T run() throws IOException;
  }

  private <T> T withFileLock(Locked<T> action) {
    ioLock.lock();
    try {
      FileLock held = lockFile.lock();
      try {
        return action.run();
      } finally {
        held.release();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("audit log " + segments.active() + ": " + e.getMessage(), e);
    } finally {
      ioLock.unlock();
    }
  }

  private static void closeQuietly(FileChannel ch, RuntimeException pending) {
    try {
      ch.close();
    } catch (IOException e) {
      pending.addSuppressed(e);
    }
  }

  /**
   * Opens (creating when needed) the audit log of {@code options} and its index in {@code store}.
   *
   * @throws AuditException when the existing chain fails verification or the key is unusable
   */
  public static AuditLog open(AuditOptions options, StateStore store) {
    return new AuditLog(options, store);
  }

  /**
   * Verifies the files of {@code options} against {@code store} without opening the log for writing
   * (no repair, no key created): for {@code vigil audit verify} with the server stopped.
   */
  public static VerifyResult verify(AuditOptions options, StateStore store) {
    store.migrate("audit");
    AuditSegments segments = new AuditSegments(options.logDir(), options.app());
    if (Files.notExists(options.dataDir().resolve(AuditKey.FILE)) && segments.files().isEmpty()) {
      return VerifyResult.intact(0, 0);
    }
    AuditKey key = AuditKey.load(options.dataDir(), false);
    ChainVerifier verifier = new ChainVerifier(segments, new CheckpointStore(store, options.app(), key,
        CheckpointStore.fileIn(options.logDir(), options.app())),
        new AuditIndex(store, options.app()));
    try (FileChannel lock = FileChannel.open(segments.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock held = lock.lock();
      try {
        return verifier.verify();
      } finally {
        held.release();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + segments.lockFile() + " to verify the audit log", e);
    }
  }

  /** Reads the index of chain {@code app} in {@code store} without opening the log: for reports offline. */
  public static AuditPage report(StateStore store, String app, AuditQuery query) {
    store.migrate("audit");
    return new AuditIndex(store, app).query(query);
  }

  /**
   * Appends one event and returns once it is on disk (fsync shared with concurrent appenders).
   *
   * @param eventType category, e.g. {@code TOKEN}, {@code ACCESS_DENIED}
   * @param userId who ({@code null} when unknown)
   * @param action what, e.g. {@code token.create}
   * @param resource on what, e.g. {@code token:abc} ({@code null} allowed)
   * @param details further facts, no secrets (strings, numbers, booleans, lists, maps)
   * @param ip client address ({@code null} allowed)
   * @return the record as written
   * @throws AuditException when it could not be made durable
   */
  public AuditRecord log(String eventType, String userId, String action, String resource, Map<String, ?> details,
      String ip) {
    try {
      return append(eventType, userId, action, resource, details, ip).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof AuditException a) {
        throw new AuditException(a.getMessage(), e);
      }
      throw new AuditException("audit append failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * Appends one event without waiting: the future completes when the record is durable, so a caller
   * may keep many in flight (they share fsyncs).
   */
  public CompletableFuture<AuditRecord> append(String eventType, String userId, String action, String resource,
      Map<String, ?> details, String ip) {
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(action, "action");
    Map<String, Object> copy = details == null ? Map.of() : new LinkedHashMap<>(details);
    StringBuilder probe = new StringBuilder();
    CanonicalJson.object(probe, copy);
    for (String field : new String[] {eventType, userId, action, resource, ip}) {
      probe.append(field);
    }
    if (probe.length() > MAX_RECORD_BYTES / 2) {
      throw new IllegalArgumentException("audit record for " + action + " is " + probe.length()
          + " characters; at most " + MAX_RECORD_BYTES / 2 + " allowed (trim the details)");
    }
    lock.lock();
    try {
      if (closing) {
        throw new AuditException("audit log " + segments.active() + " is closed");
      }
      CompletableFuture<AuditRecord> done = new CompletableFuture<>();
      queue.add(new Pending(eventType, userId, action, resource, copy, ip, done, ++appended));
      hasWork.signal();
      return done;
    } finally {
      lock.unlock();
    }
  }

  /** Verifies the whole chain now (files, checkpoints, index). */
  public VerifyResult verify() {
    awaitIndexed();
    return withFileLock(() -> new ChainVerifier(segments, checkpoints, index).verify());
  }

  /** A page of records matching {@code query}, including every record logged before this call. */
  public AuditPage report(AuditQuery query) {
    awaitIndexed();
    return index.query(query);
  }

  /**
   * The newest {@code limit} records (1 to 1000), newest first, including every record logged before
   * this call: for a live view of what just happened.
   */
  public List<AuditRecord> newest(int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be 1 to 1000, got " + limit);
    }
    awaitIndexed();
    return index.newest(limit);
  }

  /** Bytes of a torn last line removed when this log was opened (0: none). */
  public long repairedBytes() {
    return repairedBytes;
  }

  /** The active file. */
  public Path file() {
    return segments.active();
  }

  /** Every file of the chain, oldest first. */
  public List<Path> files() {
    return segments.files();
  }

  /** The seq of the newest record appended so far (0 when empty). */
  public long lastSeq() {
    return lastSeq;
  }

  /** Writes what is queued, syncs it, writes a final checkpoint, stops the threads and closes the file. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closing = true;
      hasWork.signalAll();
    } finally {
      lock.unlock();
    }
    join(syncer);
    toIndex.add(new IndexBatch(List.of(), -1));
    join(indexer);
    try {
      channel.close();
      lockFile.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close audit log " + segments.active(), e);
    }
    if (failure != null) {
      throw new AuditException("audit log " + segments.active() + " closed after a failure: " + failure.getMessage(),
          failure);
    }
  }

  private void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditException("interrupted while closing audit log " + segments.active(), e);
    }
  }

  private void syncLoop() {
    while (true) {
      List<Pending> batch;
      boolean stop;
      lock.lock();
      try {
        long waitMs = options.checkpointInterval().toMillis();
        while (queue.isEmpty() && !closing && waitMs > 0) {
          try {
            waitMs = TimeUnit.NANOSECONDS.toMillis(hasWork.awaitNanos(TimeUnit.MILLISECONDS.toNanos(waitMs)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        batch = queue;
        queue = new ArrayList<>();
        stop = closing && batch.isEmpty();
      } finally {
        lock.unlock();
      }
      if (!batch.isEmpty()) {
        writeAndSync(batch);
      }
      long now = options.clock().millis();
      if (durableSeq > checkpointSeq && failure == null && (stop || durableSeq - checkpointSeq >= options.checkpointEvery()
          || now - checkpointAt >= options.checkpointInterval().toMillis())) {
        checkpoint(now);
      }
      if (stop) {
        return;
      }
    }
  }

  private void writeAndSync(List<Pending> batch) {
    List<AuditRecord> records = new ArrayList<>(batch.size() + 1);
    long sizeBefore = fileSize;
    Object keyBefore = fileKey;
    try {
      withFileLock(() -> {
        long torn = followOtherWriters();
        if (torn > 0) {
          records.add(write(new Pending("AUDIT_REPAIR", null, "audit.repair", "file:" + segments.active().getFileName(),
              repairDetails(torn), null, new CompletableFuture<>(), 0)));
        }
        for (Pending p : batch) {
          records.add(write(p));
        }
        drain();
        channel.force(false);
        return null;
      });
    } catch (RuntimeException e) {
      AuditException failed = new AuditException("writing audit log " + segments.active() + " failed: "
          + e.getMessage(), e);
      if (failure == null) {
        LOG.error("audit log {} failed; audit events are refused until a write succeeds again", segments.active(), e);
      }
      failure = failed;
      rollBack(sizeBefore, keyBefore);
      batch.forEach(p -> p.done().completeExceptionally(failed));
      toIndex.add(new IndexBatch(List.of(), batch.get(batch.size() - 1).ordinal()));
      return;
    }
    if (failure != null) {
      LOG.warn("audit log {} writes again after a failure", segments.active());
      failure = null;
    }
    AuditRecord last = records.get(records.size() - 1);
    durableSeq = last.seq();
    durableHash = last.hash();
    int offset = records.size() - batch.size();
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).done().complete(records.get(offset + i));
    }
    toIndex.add(new IndexBatch(records, batch.get(batch.size() - 1).ordinal()));
  }

  /**
   * After a failed batch: drops what it wrote (truncating the file back to where the batch began) and
   * makes the next batch take the chain's tail from the files again, so a later write continues a
   * valid chain once the disk has room.
   */
  private void rollBack(long sizeBefore, Object keyBefore) {
    buffer.clear();
    try {
      withFileLock(() -> {
        if (keyBefore != null && keyBefore.equals(fileKey) && channel.isOpen() && channel.size() > sizeBefore) {
          channel.truncate(sizeBefore);
        }
        return null;
      });
    } catch (RuntimeException e) {
      LOG.warn("audit log {}: cannot truncate a failed batch away; the next write repairs the tail", segments.active(),
          e);
    }
    lastSeq = durableSeq;
    lastHash = durableHash;
    fileKey = null; // followOtherWriters re-opens the active file and reads the tail of the chain
  }

  /**
   * Why an event could not be made durable now, or empty when it can: the log's file system has less
   * than {@value #MIN_FREE_BYTES} bytes free (a write failed for want of space, or soon would). Callers
   * refuse an action that must be audited before it takes effect while this says so; once space returns
   * it answers empty again and the next write continues the chain.
   */
  public Optional<String> unavailable() {
    long free;
    try {
      FileStore fs = logStore;
      if (fs == null) {
        fs = Files.getFileStore(options.logDir()); // reads the mount table: once
        logStore = fs;
      }
      free = fs.getUsableSpace();
    } catch (IOException e) {
      return Optional.of("cannot read the free space of " + options.logDir() + ": " + e.getMessage());
    }
    if (free < MIN_FREE_BYTES) {
      return Optional.of("the audit log's file system " + options.logDir() + " has only " + free
          + " bytes free");
    }
    return Optional.empty();
  }

  /** Chains, encodes and buffers one record (rotating first when it would overflow the file). */
  private AuditRecord write(Pending p) throws IOException {
    AuditRecord draft = new AuditRecord(lastSeq + 1, options.clock().instant(), p.eventType(), p.userId(), p.action(),
        p.resource(), p.details(), p.ip(), lastHash, null);
    String body = draft.body();
    String hash = RecordLine.hashOf(body);
    byte[] line = (body + ",\"hash\":\"" + hash + "\"}\n").getBytes(StandardCharsets.UTF_8);
    if (fileSize + buffer.position() > 0 && fileSize + buffer.position() + line.length > options.maxFileBytes()) {
      drain();
      rotate();
    }
    if (buffer.remaining() < line.length) {
      drain();
      if (buffer.capacity() < line.length) {
        buffer = ByteBuffer.allocate(line.length);
      }
    }
    buffer.put(line);
    lastSeq = draft.seq();
    lastHash = hash;
    return new AuditRecord(draft.seq(), draft.timestamp(), p.eventType(), p.userId(), p.action(), p.resource(),
        p.details(), p.ip(), draft.prevHash(), hash);
  }

  /**
   * Under the file lock: when another process rotated or appended since our last batch, re-opens the
   * active file and takes the chain's tail from it (repairing a torn line another writer left).
   *
   * @return bytes of a torn line removed (0: none)
   */
  private long followOtherWriters() throws IOException {
    Object key = Files.exists(segments.active())
        ? Files.readAttributes(segments.active(), BasicFileAttributes.class).fileKey() : null;
    boolean rotated = key == null || !key.equals(fileKey);
    if (!rotated && channel.size() == fileSize) {
      return 0;
    }
    channel.close();
    long torn = Files.exists(segments.active()) ? FileTail.repair(segments.active()) : 0;
    if (torn > 0) {
      LOG.warn("audit log {}: truncated a torn last line of {} bytes left by another writer", segments.active(), torn);
    }
    openActive();
    List<Path> files = segments.files();
    for (int i = files.size() - 1; i >= 0; i--) {
      String line = FileTail.lastLine(files.get(i));
      if (line != null) {
        AuditRecord tail = AuditRecord.parse(line);
        lastSeq = tail.seq();
        lastHash = tail.hash();
        break;
      }
    }
    return torn;
  }

  private void drain() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      fileSize += channel.write(buffer);
    }
    buffer.clear();
  }

  private void rotate() throws IOException {
    channel.force(false);
    channel.close();
    Path to = segments.rotate();
    LOG.info("audit log rotated to {}", to);
    openActive();
  }

  private void openActive() throws IOException {
    if (Files.notExists(segments.active())) {
      modes.newFile(segments.active());
    }
    for (Path f : segments.files()) {
      modes.file(f);
    }
    channel = FileChannel.open(segments.active(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    fileSize = channel.size();
    fileKey = Files.readAttributes(segments.active(), BasicFileAttributes.class).fileKey();
    segments.syncDir();
  }

  private void checkpoint(long now) {
    try {
      checkpoints.write(durableSeq, durableHash, now);
      checkpointSeq = durableSeq;
      checkpointAt = now;
    } catch (RuntimeException e) {
      LOG.error("cannot store the audit checkpoint for seq {} in the state store; retrying later", durableSeq, e);
    }
  }

  private void indexLoop() {
    while (true) {
      try {
        IndexBatch first = toIndex.take();
        List<IndexBatch> batches = new ArrayList<>();
        batches.add(first);
        toIndex.drainTo(batches, 64);
        List<AuditRecord> records = new ArrayList<>();
        long ordinal = 0;
        boolean stop = false;
        for (IndexBatch b : batches) {
          stop |= b.ordinal() < 0;
          records.addAll(b.records());
          ordinal = Math.max(ordinal, b.ordinal());
        }
        indexWithRetry(records, ordinal);
        if (stop) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void indexWithRetry(List<AuditRecord> records, long ordinal) throws InterruptedException {
    for (int attempt = 1; !records.isEmpty(); attempt++) {
      try {
        index.insert(records);
        break;
      } catch (RuntimeException e) {
        if (attempt >= 5) {
          LOG.error("cannot index {} audit records in the state store; the log file keeps them and they are "
              + "indexed when the log is next opened", records.size(), e);
          break;
        }
        Thread.sleep(200L * attempt);
      }
    }
    lock.lock();
    try {
      indexedOrdinal = Math.max(indexedOrdinal, ordinal);
      indexed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void awaitIndexed() {
    lock.lock();
    try {
      long target = appended;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (indexedOrdinal < target && failure == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AuditException("the audit index lags: " + (target - indexedOrdinal) + " records after 30 s");
        }
        indexed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditException("interrupted while waiting for the audit index", e);
    } finally {
      lock.unlock();
    }
  }

  /** Truncates bytes after the last newline of the newest file; returns how many. */
  private long repairTornTail() throws IOException {
    List<Path> files = segments.files();
    if (files.isEmpty()) {
      return 0;
    }
    long torn = FileTail.repair(files.get(files.size() - 1));
    if (torn > 0) {
      LOG.warn("audit log {}: truncated a torn last line of {} bytes (a crash while writing)",
          files.get(files.size() - 1), torn);
    }
    return torn;
  }

  private void catchUpIndex() throws IOException {
    long have = index.maxSeq();
    if (have >= lastSeq) {
      return;
    }
    RecordLine parser = new RecordLine();
    List<AuditRecord> batch = new ArrayList<>();
    for (Path f : segments.files()) {
      LineScanner.scan(f, (buf, off, len, lineNo, pos) -> {
        if (parser.parse(buf, off, len) && parser.seq > have) {
          batch.add(AuditRecord.parse(new String(buf, off, len, StandardCharsets.UTF_8)));
          if (batch.size() >= 1000) {
            index.insert(batch);
            batch.clear();
          }
        }
        return true;
      });
    }
    index.insert(batch);
    LOG.info("audit index caught up from seq {} to {}", have, lastSeq);
  }
}
