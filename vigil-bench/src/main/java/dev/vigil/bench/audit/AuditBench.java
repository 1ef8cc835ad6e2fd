package dev.vigil.bench.audit;

import dev.vigil.bench.BenchLine;
import dev.vigil.core.store.StateStore;
import dev.vigil.logging.audit.AuditLog;
import dev.vigil.logging.audit.AuditOptions;
import dev.vigil.logging.audit.AuditRecord;
import dev.vigil.logging.audit.VerifyResult;
import java.io.IOException;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit half of the {@code logging} suite.
 *
 * <ul>
 *   <li>{@code audit.append}: durable, hash-chained, indexed audit events/s from 8 threads (each keeping
 *       up to 64 appends in flight, so they share fsyncs) vs the same JSON lines appended by 8 threads to
 *       a plain {@link FileChannel} with {@code force} after every write (what "durable" costs without
 *       group commit). The rate of 8 threads calling the blocking {@code log()} is on the line too.
 *   <li>{@code audit.verify}: seconds to verify a chain of N records (default 1,000,000: hashes, links,
 *       keyed checkpoints, index tail) vs {@code sha256sum} over the same files.
 * </ul>
 *
 * <p>Usage: {@code AuditBench <work dir> [records for verify] [append seconds]}. SQLite state store in
 * the work dir; the disk's fsync latency dominates append, so numbers vary by machine.
 */
public final class AuditBench {
  private static final int THREADS = 8;
  private static final int IN_FLIGHT = 64;

  private AuditBench() {
  }

  /** Runs both cases and prints their BENCH lines. */
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    long verifyRecords = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 5;
    Path logs = work.resolve("logs");
    Path data = work.resolve("data");
    try (StateStore store = StateStore.open(null, data)) {
      AuditOptions opts = AuditOptions.defaults("bench", logs, data);
      double pipelined;
      double blocking;
      try (AuditLog log = AuditLog.open(opts, store)) {
        pipelined = pipelined(log, seconds / 5);
        pipelined = pipelined(log, seconds);
        blocking = blocking(log, seconds / 2);
        fill(log, verifyRecords);
      }
      double baseline = plainFsync(work.resolve("plain.log"), seconds / 2);
      Map<String, Object> extras = new LinkedHashMap<>();
      extras.put("threads", THREADS);
      extras.put("in_flight_per_thread", IN_FLIGHT);
      extras.put("blocking_log_8_threads", Math.round(blocking) + "/s");
      extras.put("baseline_is", "FileChannel.write+force_per_event_8_threads");
      extras.put("goal", ">=20000/s");
      BenchLine.print("audit.append", pipelined, baseline, "events/s", BenchLine.Better.HIGHER, extras);

      long t0 = System.nanoTime();
      VerifyResult v = AuditLog.verify(opts, store);
      double verifySeconds = (System.nanoTime() - t0) / 1e9;
      if (!v.ok()) {
        throw new IllegalStateException("benchmark chain does not verify: " + v.summary());
      }
      double sha = sha256sum(logs);
      long bytes = 0;
      for (Path f : Files.list(logs).filter(p -> p.getFileName().toString().startsWith("bench_audit.log")).toList()) {
        bytes += Files.size(f);
      }
      Map<String, Object> vx = new LinkedHashMap<>();
      vx.put("records", v.records());
      vx.put("checkpoints", v.checkpoints());
      vx.put("mb", bytes / 1_000_000);
      vx.put("baseline_is", "sha256sum_of_the_files");
      vx.put("goal", "<2s_per_1M");
      BenchLine.print("audit.verify", verifySeconds, sha, "s", BenchLine.Better.LOWER, vx);
    }
  }

  private static Map<String, Object> details(int i) {
    return Map.of("method", "password", "success", true, "attempt", i);
  }

  /** What one of the 8 threads does until {@code end} (System.nanoTime); returns how many events it made durable. */
  @FunctionalInterface
  private interface Worker {
    long run(int thread, long end) throws Exception;
  }

  /** Runs {@code worker} on 8 named threads for {@code seconds}; events/s over all of them. */
  private static double rate(String name, double seconds, Worker worker) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Thread th = new Thread(() -> {
        try {
          done.addAndGet(worker.run(thread, end));
        } catch (Exception e) {
          throw new IllegalStateException(name + " thread " + thread + " failed", e);
        }
      }, name + "-" + t);
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }

  /** 8 threads appending with up to 64 in flight each, for {@code seconds}; events/s. */
  private static double pipelined(AuditLog log, double seconds) throws InterruptedException {
    return rate("bench-audit", seconds, (thread, end) -> {
      ArrayBlockingQueue<CompletableFuture<AuditRecord>> inFlight = new ArrayBlockingQueue<>(IN_FLIGHT);
      long done = 0;
      int i = 0;
      while (System.nanoTime() < end) {
        if (inFlight.remainingCapacity() == 0) {
          inFlight.poll().join();
          done++;
        }
        inFlight.add(log.append("USER_LOGIN", "user" + thread, "LOGIN", "authentication", details(i++),
            "192.168.1." + thread));
      }
      for (CompletableFuture<AuditRecord> f : inFlight) {
        f.join();
        done++;
      }
      return done;
    });
  }

  /** 8 threads each calling the blocking {@code log()}; events/s. */
  private static double blocking(AuditLog log, double seconds) throws InterruptedException {
    return rate("bench-audit-blocking", seconds, (thread, end) -> {
      long done = 0;
      while (System.nanoTime() < end) {
        log.log("USER_LOGIN", "user" + thread, "LOGIN", "authentication", details((int) done), "192.168.1." + thread);
        done++;
      }
      return done;
    });
  }

  /** Appends until the chain holds {@code records}. */
  private static void fill(AuditLog log, long records) {
    List<CompletableFuture<AuditRecord>> batch = new ArrayList<>();
    for (long i = log.lastSeq(); i < records; i++) {
      batch.add(log.append("USER_LOGIN", "user" + (i % 50), "LOGIN", "authentication", details((int) i),
          "192.168.1.100"));
      if (batch.size() == 4096) {
        batch.forEach(CompletableFuture::join);
        batch.clear();
      }
    }
    batch.forEach(CompletableFuture::join);
  }

  /** The baseline: the same kind of line, write + force per event, 8 threads sharing one channel. */
  private static double plainFsync(Path file, double seconds) throws IOException, InterruptedException {
    byte[] line = ("{\"seq\":1,\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"event_type\":\"USER_LOGIN\",\"user_id\":"
        + "\"user1\",\"action\":\"LOGIN\",\"resource\":\"authentication\",\"details\":{\"attempt\":1,\"method\":"
        + "\"password\",\"success\":true},\"ip_address\":\"192.168.1.1\",\"prev_hash\":\"" + "0".repeat(64)
        + "\",\"hash\":\"" + "0".repeat(64) + "\"}\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      return rate("bench-plain", seconds, (thread, end) -> {
        long done = 0;
        while (System.nanoTime() < end) {
          synchronized (ch) {
            ch.write(ByteBuffer.wrap(line));
            ch.force(false);
          }
          done++;
        }
        return done;
      });
    }
  }

  /** Seconds {@code sha256sum} takes over every audit file of the chain. */
  private static double sha256sum(Path logs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("sha256sum"));
    try (var files = Files.list(logs)) {
      files.filter(p -> p.getFileName().toString().startsWith("bench_audit.log")).sorted()
          .forEach(p -> cmd.add(p.toString()));
    }
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException("sha256sum exited " + code);
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
