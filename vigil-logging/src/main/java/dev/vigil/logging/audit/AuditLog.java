package dev.vigil.logging.audit;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * {@code log} returns. Concurrent appenders share one fsync (group commit by a single sync thread).
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

  private final AuditOptions options;
  private final AuditSegments segments;
  private final CheckpointStore checkpoints;
  private final AuditIndex index;
  private final long repairedBytes;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition hasWork = lock.newCondition();
  private final Condition indexed = lock.newCondition();
  private List<Pending> queue = new ArrayList<>();
  private long lastSeq;
  private String lastHash;
  private boolean closing;
  private boolean closed;
  private volatile AuditException failure;

  private FileChannel channel;
  private long fileSize;
  private long durableSeq;
  private String durableHash;
  private long checkpointSeq;
  private long checkpointAt;
  private long indexedSeq;
  private final LinkedBlockingQueue<List<AuditRecord>> toIndex = new LinkedBlockingQueue<>();
  private final Thread syncer;
  private final Thread indexer;

  private record Pending(AuditRecord record, byte[] line, CompletableFuture<AuditRecord> done) {
  }

  private AuditLog(AuditOptions options, StateStore store) {
    this.options = options;
    this.segments = new AuditSegments(options.logDir(), options.app());
    store.migrate("audit");
    AuditKey key = AuditKey.load(options.dataDir(), true);
    this.checkpoints = new CheckpointStore(store, options.app(), key);
    this.index = new AuditIndex(store, options.app());
    try {
      Files.createDirectories(options.logDir());
      this.repairedBytes = repairTornTail();
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
      indexedSeq = lastSeq;
      checkpointSeq = checkpoints.last().map(Checkpoint::seq).orElse(0L);
      if (lastSeq > checkpointSeq) {
        checkpoints.write(lastSeq, lastHash, options.clock().millis());
        checkpointSeq = lastSeq;
      }
      checkpointAt = options.clock().millis();
      openActive();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open audit log " + segments.active(), e);
    }
    syncer = new Thread(this::syncLoop, "vigil-audit-sync-" + options.app());
    indexer = new Thread(this::indexLoop, "vigil-audit-index-" + options.app());
    syncer.setDaemon(true);
    indexer.setDaemon(true);
    syncer.start();
    indexer.start();
    if (repairedBytes > 0) {
      LOG.warn("audit log {}: truncated a torn last line of {} bytes after seq {} (a crash while writing)",
          segments.active(), repairedBytes, lastSeq);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("torn_bytes", repairedBytes);
      details.put("after_seq", lastSeq);
      details.put("reason", "torn last line truncated after a crash");
      log("AUDIT_REPAIR", null, "audit.repair", "file:" + segments.active().getFileName(), details, null);
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
    return new ChainVerifier(segments,
        new CheckpointStore(store, options.app(), key), new AuditIndex(store, options.app())).verify();
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
    lock.lock();
    try {
      if (closing) {
        throw new AuditException("audit log " + segments.active() + " is closed");
      }
      if (failure != null) {
        throw new AuditException("audit log " + segments.active() + " failed earlier: " + failure.getMessage(), failure);
      }
      AuditRecord draft = new AuditRecord(lastSeq + 1, options.clock().instant(), eventType, userId, action, resource,
          copy, ip, lastHash, null);
      String body = draft.body();
      String hash = RecordLine.hashOf(body);
      byte[] line = (body + ",\"hash\":\"" + hash + "\"}\n").getBytes(StandardCharsets.UTF_8);
      if (line.length > MAX_RECORD_BYTES) {
        throw new IllegalArgumentException("audit record for " + action + " is " + line.length
            + " bytes; at most " + MAX_RECORD_BYTES + " allowed (trim the details)");
      }
      AuditRecord record = new AuditRecord(draft.seq(), draft.timestamp(), eventType, userId, action, resource, copy,
          ip, lastHash, hash);
      lastSeq = record.seq();
      lastHash = hash;
      CompletableFuture<AuditRecord> done = new CompletableFuture<>();
      queue.add(new Pending(record, line, done));
      hasWork.signal();
      return done;
    } finally {
      lock.unlock();
    }
  }

  /** Verifies the whole chain now (files, checkpoints, index). */
  public VerifyResult verify() {
    awaitIndexed();
    return new ChainVerifier(segments, checkpoints, index).verify();
  }

  /** A page of records matching {@code query}, including every record logged before this call. */
  public AuditPage report(AuditQuery query) {
    awaitIndexed();
    return index.query(query);
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
    lock.lock();
    try {
      return lastSeq;
    } finally {
      lock.unlock();
    }
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
    toIndex.add(List.of());
    join(indexer);
    try {
      channel.close();
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
    if (failure != null) {
      batch.forEach(p -> p.done().completeExceptionally(failure));
      return;
    }
    ByteBuffer buf = ByteBuffer.allocate(Math.min(8 << 20, batch.stream().mapToInt(p -> p.line().length).sum()));
    try {
      for (Pending p : batch) {
        if (fileSize > 0 && fileSize + buf.position() + p.line().length > options.maxFileBytes()) {
          drain(buf);
          rotate();
        }
        if (buf.remaining() < p.line().length) {
          drain(buf);
        }
        buf.put(p.line());
      }
      drain(buf);
      channel.force(false);
    } catch (IOException | RuntimeException e) {
      failure = new AuditException("writing audit log " + segments.active() + " failed: " + e.getMessage(), e);
      LOG.error("audit log {} failed; further audit events are refused", segments.active(), e);
      batch.forEach(p -> p.done().completeExceptionally(failure));
      return;
    }
    AuditRecord last = batch.get(batch.size() - 1).record();
    durableSeq = last.seq();
    durableHash = last.hash();
    List<AuditRecord> records = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      records.add(p.record());
      p.done().complete(p.record());
    }
    toIndex.add(records);
  }

  private void drain(ByteBuffer buf) throws IOException {
    buf.flip();
    while (buf.hasRemaining()) {
      fileSize += channel.write(buf);
    }
    buf.clear();
  }

  private void rotate() throws IOException {
    channel.force(false);
    channel.close();
    Path to = segments.rotate();
    LOG.info("audit log rotated to {}", to);
    openActive();
  }

  private void openActive() throws IOException {
    channel = FileChannel.open(segments.active(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    fileSize = channel.size();
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
      List<AuditRecord> records = new ArrayList<>();
      try {
        List<AuditRecord> first = toIndex.take();
        if (first.isEmpty() && toIndex.isEmpty()) {
          return;
        }
        records.addAll(first);
        List<List<AuditRecord>> more = new ArrayList<>();
        toIndex.drainTo(more, 64);
        boolean stop = false;
        for (List<AuditRecord> m : more) {
          stop |= m.isEmpty();
          records.addAll(m);
        }
        indexWithRetry(records);
        if (stop) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void indexWithRetry(List<AuditRecord> records) throws InterruptedException {
    if (records.isEmpty()) {
      return;
    }
    for (int attempt = 1; ; attempt++) {
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
    long max = records.stream().mapToLong(AuditRecord::seq).max().orElse(0);
    lock.lock();
    try {
      indexedSeq = Math.max(indexedSeq, max);
      indexed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void awaitIndexed() {
    lock.lock();
    try {
      long target = lastSeq;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (indexedSeq < target && failure == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AuditException("the audit index lags: seq " + indexedSeq + " of " + target + " after 30 s");
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
    Path last = files.get(files.size() - 1);
    try (FileChannel ch = FileChannel.open(last, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long end = size;
      ByteBuffer b = ByteBuffer.allocate(64 * 1024);
      outer:
      while (end > 0) {
        long from = Math.max(0, end - b.capacity());
        b.clear().limit((int) (end - from));
        while (b.hasRemaining()) {
          if (ch.read(b, from + b.position()) < 0) {
            break;
          }
        }
        for (int i = (int) (end - from) - 1; i >= 0; i--) {
          if (b.get(i) == '\n') {
            end = from + i + 1;
            break outer;
          }
        }
        end = from;
      }
      long torn = size - end;
      if (torn > 0) {
        ch.truncate(end);
        ch.force(true);
      }
      return torn;
    }
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
