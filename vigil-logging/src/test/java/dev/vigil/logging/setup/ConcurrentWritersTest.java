package dev.vigil.logging.setup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.logging.LogFiles;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Many threads writing through the configured JSON files while they rotate every 64 KB. */
class ConcurrentWritersTest {
  private static final int THREADS = 8;
  private static final int LINES = 100_000;
  private static final long MAX_BYTES = 64 * 1024;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * Rotating to {@code .1 … .N} renames every kept file on each rotation (as Python's handler does),
   * about a million renames here; on tmpfs they take seconds rather than minutes on a shared disk.
   * What is checked (no line lost, duplicated, split, no file over the limit) is the same on any
   * file system.
   */
  @Test
  void everyLineIsWrittenOnceWholeAndNoFileExceedsTheLimit(@TempDir Path fallback) throws Exception {
    Path shm = Path.of("/dev/shm");
    Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "vigil-log-") : fallback;
    try {
      writeAndCheck(dir);
    } finally {
      if (!dir.equals(fallback)) {
        try (var paths = Files.walk(dir)) {
          for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }
  }

  private void writeAndCheck(Path dir) throws Exception {
    LoggingOptions options = LoggingOptions.defaults("load").withLogDir(dir).withConsole(false)
        .withMaxBytes(MAX_BYTES).withBackupCount(20_000).withDropWhenBusy(false).withIncludeLocation(false);
    ConfiguredLogging logging = LoggingSetup.configure(options, false);
    Logger log = LoggerFactory.getLogger("load");
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int id = t;
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < LINES; i++) {
          log.info("t{} {}", id, i);
        }
      }, "writer-" + t);
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    logging.close();
    assertThat(logging.droppedEvents()).isZero();

    Path main = new LogFiles(dir, "load").main();
    List<Path> files = LogFiles.generations(main);
    assertThat(files.size()).as("rotated files").isGreaterThan(100);
    BitSet[] seen = new BitSet[THREADS];
    for (int t = 0; t < THREADS; t++) {
      seen[t] = new BitSet(LINES);
    }
    long lines = 0;
    for (Path f : files) {
      assertThat(Files.size(f)).as("size of %s", f).isLessThanOrEqualTo(MAX_BYTES);
      try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          JsonNode node = json.readTree(line);
          assertThat(node.isObject()).as("whole JSON object: %s", line).isTrue();
          String[] parts = node.get("message").asText().split(" ");
          int thread = Integer.parseInt(parts[0].substring(1));
          int i = Integer.parseInt(parts[1]);
          assertThat(seen[thread].get(i)).as("duplicate line %s", line).isFalse();
          seen[thread].set(i);
          lines++;
        }
      }
    }
    assertThat(lines).isEqualTo((long) THREADS * LINES);
    for (int t = 0; t < THREADS; t++) {
      assertThat(seen[t].cardinality()).as("lines of thread %d", t).isEqualTo(LINES);
    }
  }
}
