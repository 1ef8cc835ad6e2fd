package dev.vigil.logging.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Walks every file of a chain once and checks, record by record: consecutive seq from 1, the hash
 * over the record's bytes, the link to the previous hash; against the keyed checkpoints in the store
 * (authentic MAC, same hash at their seq, none beyond the end of the log); and against the store
 * index (a record rewritten with a recomputed chain is pinned to its seq by the indexed hash; an index
 * reaching past the log's end means a cut tail).
 */
final class ChainVerifier {
  private static final int INDEX_CHUNK = 1000;

  private final AuditSegments segments;
  private final CheckpointStore checkpoints;
  private final AuditIndex index;
  private String lastHash = AuditRecord.GENESIS;

  ChainVerifier(AuditSegments segments, CheckpointStore checkpoints, AuditIndex index) {
    this.segments = segments;
    this.checkpoints = checkpoints;
    this.index = index;
  }

  /** Stops the walk with a verdict. */
  private static final class Found extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient VerifyResult result;

    Found(VerifyResult result) {
      super(null, null, false, false);
      this.result = result;
    }
  }

  /** The hash of the last record after a successful {@link #verify()} (genesis for an empty log). */
  String lastHash() {
    return lastHash;
  }

  VerifyResult verify() {
    NavigableMap<Long, Checkpoint> cps = checkpoints.all();
    for (Checkpoint cp : cps.values()) {
      if (!checkpoints.authentic(cp)) {
        return VerifyResult.failed(0, cps.size(), cp.seq(), "the checkpoint for seq " + cp.seq()
            + " has a wrong MAC (forged in the store or in " + checkpoints.file() + ", or the audit key changed)",
            null, 0);
      }
    }
    Optional<String> forged = checkpoints.firstForgedInFile();
    if (forged.isPresent()) {
      return VerifyResult.failed(0, cps.size(), 0, "a checkpoint in " + checkpoints.file() + " has a wrong MAC or "
          + "contradicts the state store (" + forged.get() + ")", checkpoints.file().toString(), 0);
    }
    long lastCp = cps.isEmpty() ? 0 : cps.lastKey();
    long indexMax = index.maxSeq();
    List<Path> files = segments.files();
    if (files.size() > 1) {
      VerifyResult fast = inParallel(files, cps, lastCp, indexMax);
      if (fast != null) {
        return fast;
      }
    }
    Walk w = new Walk(cps, lastCp);
    long lastLine = 0;
    try {
      for (int i = 0; i < files.size(); i++) {
        Path file = files.get(i);
        w.file = file;
        long torn = LineScanner.scan(file, w::line);
        if (torn > 0) {
          String why = i == files.size() - 1
              ? "torn last line: " + torn + " bytes after seq " + (w.expected - 1)
                  + " without a newline (a crash while writing); opening the log repairs it"
              : "segment ends with " + torn + " bytes without a newline";
          throw new Found(VerifyResult.failed(w.expected - 1, cps.size(), w.expected, why, file.toString(), 0));
        }
        if (w.lastLineNo > 0) {
          lastLine = w.lastLineNo;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read audit file " + w.file, e);
    } catch (Found f) {
      return f.result;
    }
    long last = w.expected - 1;
    String endFile = w.lastFile == null ? null : w.lastFile.toString();
    if (lastCp > last) {
      return VerifyResult.failed(last, cps.size(), last + 1, "tail cut: the log ends at seq " + last
          + " but a keyed checkpoint vouches for seq " + lastCp, endFile, lastLine);
    }
    if (indexMax > last) {
      return VerifyResult.failed(last, cps.size(), last + 1, "tail cut: the log ends at seq " + last
          + " but the store index holds records up to seq " + indexMax, endFile, lastLine);
    }
    if (last > 0 && cps.isEmpty()) {
      return VerifyResult.failed(last, 0, 1, "no keyed checkpoint at all for a chain of " + last + " records (every "
          + "chain is checkpointed from its start): the checkpoints were erased from the state store and from "
          + checkpoints.file() + ", so a cut or rewrite can no longer be ruled out", files.get(0).toString(), 1);
    }
    lastHash = new String(w.prev, StandardCharsets.US_ASCII);
    return VerifyResult.intact(last, cps.size());
  }

  /** What one file holds when it is intact on its own: its first and last seq and the hashes at both ends. */
  private record Span(long firstSeq, String firstPrev, long lastSeq, String lastHash) {
  }

  /**
   * The fast path for several files: checks each file on its own, on up to as many threads as there are
   * cores, then that the files join up. Returns the intact result, or {@code null} when anything is
   * wrong — the sequential walk then finds the first bad seq and says why.
   */
  private VerifyResult inParallel(List<Path> files, NavigableMap<Long, Checkpoint> cps, long lastCp, long indexMax) {
    int threads = Math.min(files.size(), Math.max(1, Runtime.getRuntime().availableProcessors()));
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "vigil-audit-verify-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Span>> spans = new ArrayList<>();
      for (Path file : files) {
        spans.add(pool.submit(() -> span(file, cps, lastCp)));
      }
      long expected = 1;
      String prev = AuditRecord.GENESIS;
      for (Future<Span> f : spans) {
        Span span = f.get();
        if (span == null || span.firstSeq() != expected || !span.firstPrev().equals(prev)) {
          return null;
        }
        expected = span.lastSeq() + 1;
        prev = span.lastHash();
      }
      long last = expected - 1;
      if (lastCp > last || indexMax > last || (last > 0 && cps.isEmpty())) {
        return null;
      }
      lastHash = prev;
      return VerifyResult.intact(last, cps.size());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditException("interrupted while verifying the audit log", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new UncheckedIOException("cannot read audit files in " + segments.dir(), io);
      }
      throw new AuditException("verifying the audit log failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** One file checked on its own, or {@code null} when it is empty or anything in it is wrong. */
  private Span span(Path file, NavigableMap<Long, Checkpoint> cps, long lastCp) throws IOException {
    Walk w = new Walk(cps, lastCp);
    w.file = file;
    w.expected = -1;
    try {
      if (LineScanner.scan(file, w::line) != 0 || w.expected < 0) {
        return null;
      }
    } catch (Found f) {
      return null;
    }
    return new Span(w.firstSeq, w.firstPrev, w.expected - 1,
        new String(w.prev, StandardCharsets.US_ASCII));
  }

  private final class Walk {
    final NavigableMap<Long, Checkpoint> cps;
    final long lastCp;
    final RecordLine parser = new RecordLine();
    final byte[] prev = AuditRecord.GENESIS.getBytes(StandardCharsets.US_ASCII);
    final List<Long> sinceCpSeq = new ArrayList<>();
    final List<String> sinceCpHash = new ArrayList<>();
    final List<Path> sinceCpFile = new ArrayList<>();
    final List<Long> sinceCpLine = new ArrayList<>();
    Path lastFile;
    long lastLineNo;
    Map<Long, String> indexChunk = Map.of();
    long indexChunkEnd = 0;
    long expected = 1;
    long firstSeq;
    String firstPrev;
    Path file;

    Walk(NavigableMap<Long, Checkpoint> cps, long lastCp) {
      this.cps = cps;
      this.lastCp = lastCp;
    }

    boolean line(byte[] buf, int off, int len, long lineNo, long fileOffset) {
      if (!parser.parse(buf, off, len)) {
        throw fail(expected, "line " + lineNo + " is " + parser.problem + " (expected seq " + expected + ")", lineNo);
      }
      long seq = parser.seq;
      if (expected < 0) {
        expected = seq;
        firstSeq = seq;
        firstPrev = RecordLine.ascii(buf, RecordLine.prevHashOffset(off, len), 64);
        System.arraycopy(buf, RecordLine.prevHashOffset(off, len), prev, 0, 64);
      }
      if (seq != expected) {
        throw fail(expected, "expected seq " + expected + " but found seq " + seq
            + (seq > expected ? " (records missing or out of order)" : " (records repeated or out of order)"), lineNo);
      }
      if (!parser.hashMatches(buf, off, len)) {
        throw fail(seq, "hash mismatch: the record's content does not match its hash (altered)", lineNo);
      }
      int prevAt = RecordLine.prevHashOffset(off, len);
      for (int k = 0; k < 64; k++) {
        if (buf[prevAt + k] != prev[k]) {
          throw fail(seq, "broken link: prev_hash is not the hash of seq " + (seq - 1), lineNo);
        }
      }
      int hashAt = RecordLine.hashOffset(off, len);
      System.arraycopy(buf, hashAt, prev, 0, 64);
      if (seq <= lastCp) {
        String hash = RecordLine.ascii(buf, hashAt, 64);
        sinceCpSeq.add(seq);
        sinceCpHash.add(hash);
        sinceCpFile.add(file);
        sinceCpLine.add(lineNo);
        Checkpoint cp = cps.get(seq);
        if (cp != null) {
          if (!cp.hash().equals(hash)) {
            throw rewritten(cp);
          }
          sinceCpSeq.clear();
          sinceCpHash.clear();
          sinceCpFile.clear();
          sinceCpLine.clear();
        }
      } else {
        if (seq > indexChunkEnd) {
          indexChunk = index.hashes(seq, seq + INDEX_CHUNK - 1);
          indexChunkEnd = seq + INDEX_CHUNK - 1;
        }
        String indexed = indexChunk.get(seq);
        if (indexed != null && !RecordLine.regionEquals(buf, hashAt, indexed)) {
          throw fail(seq, "record rewritten after the last checkpoint: its hash differs from the indexed copy "
              + "(chain recomputed)", lineNo);
        }
      }
      expected = seq + 1;
      lastFile = file;
      lastLineNo = lineNo;
      return true;
    }

    /** The rewrite a mismatching checkpoint reveals, named by the file and line of the first changed record. */
    private Found rewritten(Checkpoint cp) {
      Map<Long, String> indexed = index.hashes(sinceCpSeq.get(0), cp.seq());
      for (int k = 0; k < sinceCpSeq.size(); k++) {
        String h = indexed.get(sinceCpSeq.get(k));
        if (h != null && !h.equals(sinceCpHash.get(k))) {
          return fail(sinceCpSeq.get(k), "record rewritten with a recomputed chain: its hash differs from the "
              + "indexed copy, and the keyed checkpoint at seq " + cp.seq() + " does not match", sinceCpFile.get(k),
              sinceCpLine.get(k));
        }
      }
      return fail(sinceCpSeq.get(0), "chain rewritten between seq " + sinceCpSeq.get(0) + " and " + cp.seq()
          + ": the keyed checkpoint at seq " + cp.seq() + " does not match", sinceCpFile.get(0), sinceCpLine.get(0));
    }

    private Found fail(long seq, String reason, long lineNo) {
      return fail(seq, reason, file, lineNo);
    }

    private Found fail(long seq, String reason, Path where, long lineNo) {
      return new Found(VerifyResult.failed(expected - 1, cps.size(), seq, reason, where.toString(), lineNo));
    }
  }
}
