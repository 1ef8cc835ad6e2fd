package dev.vigil.logging.audit;

import dev.vigil.core.store.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process that audits under load until it is killed: 8 threads keep appending, and it prints
 * {@code ACKED <seq>} whenever the highest acknowledged (durable) seq passes another 500.
 * Args: log dir, data dir, store URL.
 */
public final class AuditLoadChild {
  private AuditLoadChild() {
  }

  /** Runs until killed. */
  public static void main(String[] args) throws Exception {
    Path logDir = Path.of(args[0]);
    Path dataDir = Path.of(args[1]);
    StateStore store = StateStore.open(args[2], dataDir);
    AuditLog log = AuditLog.open(AuditOptions.defaults("child", logDir, dataDir).withMaxFileBytes(256 * 1024)
        .withCheckpoints(200, Duration.ofMillis(200)), store);
    System.out.println("OPENED " + log.lastSeq() + " repaired=" + log.repairedBytes());
    AtomicLong acked = new AtomicLong();
    AtomicLong printed = new AtomicLong();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      Thread worker = new Thread(() -> {
        while (true) {
          java.util.List<CompletableFuture<AuditRecord>> inFlight = new java.util.ArrayList<>();
          for (int i = 0; i < 16; i++) {
            inFlight.add(log.append("LOAD", "t" + thread, "load.write", "item:" + i, Map.of("pad", "x".repeat(i * 7)),
                "127.0.0.1"));
          }
          for (CompletableFuture<AuditRecord> f : inFlight) {
            long seq = f.join().seq();
            acked.accumulateAndGet(seq, Math::max);
          }
          long a = acked.get();
          long p = printed.get();
          if (a - p >= 500 && printed.compareAndSet(p, a)) {
            System.out.println("ACKED " + a);
          }
        }
      }, "load-" + t);
      worker.start();
    }
  }
}
