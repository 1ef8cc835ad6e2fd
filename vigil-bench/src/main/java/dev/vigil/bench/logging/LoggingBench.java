package dev.vigil.bench.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import dev.vigil.bench.BenchLine;
import dev.vigil.logging.LogFiles;
import dev.vigil.logging.setup.ConfiguredLogging;
import dev.vigil.logging.setup.LoggingOptions;
import dev.vigil.logging.setup.LoggingSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code logging.json}: events per second written as JSON to rotating files by
 * {@link LoggingSetup} (its defaults: async, caller location, 10 MB × 10 files) against Logback's
 * own {@link RollingFileAppender} with a hand-configured logstash {@link LogstashEncoder} (caller
 * data on, fixed-window rotation at 10 MB), the same threads logging the same events with an MDC
 * request id. A run ends when every event is in its file (the configuration closed).
 *
 * <p>The baseline keeps Logback's defaults, as a user configuring it by hand would: its size policy
 * then looks at the file at most once every 60 s ({@code checkIncrement}), so its files grow far
 * past 10 MB and it rotates less (cheaper for it); the line shows the largest file of each side.
 *
 * <p>Usage: {@code LoggingBench [threads] [events]}.
 */
public final class LoggingBench {
  private static final long MAX_BYTES = 10L * 1024 * 1024;
  private static final int BACKUPS = 10;

  private LoggingBench() {
  }

  /** Runs the case and prints its BENCH line. */
  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int events = args.length > 1 ? Integer.parseInt(args[1]) : 400_000;
    Path root = Files.createTempDirectory("vigil-logbench-");
    try {
      vigil(root.resolve("warm-v"), threads, events / 4);
      baseline(root.resolve("warm-b"), threads, events / 4);
      double bestVigil = 0;
      double bestBase = 0;
      long vigilBytes = 0;
      long vigilLargest = 0;
      long baseLargest = 0;
      for (int round = 0; round < 3; round++) {
        Path v = root.resolve("v" + round);
        bestVigil = Math.max(bestVigil, vigil(v, threads, events));
        vigilBytes = bytes(v);
        vigilLargest = Math.max(vigilLargest, largest(v));
        long lines = lines(v, "bench.log");
        if (lines != events) {
          throw new IllegalStateException("vigil run " + round + " wrote " + lines + " lines, expected " + events);
        }
        bestBase = Math.max(bestBase, baseline(root.resolve("b" + round), threads, events));
        baseLargest = Math.max(baseLargest, largest(root.resolve("b" + round)));
        delete(v);
        delete(root.resolve("b" + round));
      }
      Map<String, Object> extras = new LinkedHashMap<>();
      extras.put("threads", threads);
      extras.put("events", events);
      extras.put("bytes_per_event", (double) vigilBytes / events);
      extras.put("max_file_bytes", MAX_BYTES);
      extras.put("vigil_largest_file", vigilLargest);
      extras.put("baseline_largest_file", baseLargest);
      BenchLine.print("logging.json", bestVigil, bestBase, "events/s", BenchLine.Better.HIGHER, extras);
    } finally {
      delete(root);
    }
  }

  private static double vigil(Path dir, int threads, int events) throws InterruptedException {
    LoggingOptions options = LoggingOptions.defaults("bench").withLogDir(dir).withConsole(false)
        .withDropWhenBusy(false).withMaxBytes(MAX_BYTES).withBackupCount(BACKUPS);
    long start = System.nanoTime();
    ConfiguredLogging logging = LoggingSetup.configure(options, false);
    drive(threads, events);
    logging.close();
    return events / ((System.nanoTime() - start) / 1e9);
  }

  private static double baseline(Path dir, int threads, int events) throws InterruptedException {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    long start = System.nanoTime();
    context.reset();
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.setIncludeCallerData(true);
    encoder.start();
    RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
    appender.setContext(context);
    appender.setFile(dir.resolve("bench.log").toString());
    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(context);
    rolling.setParent(appender);
    rolling.setFileNamePattern(dir.resolve("bench.log.%i").toString());
    rolling.setMinIndex(1);
    rolling.setMaxIndex(BACKUPS);
    rolling.start();
    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(context);
    trigger.setMaxFileSize(new FileSize(MAX_BYTES));
    trigger.start();
    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(trigger);
    appender.setEncoder(encoder);
    appender.start();
    ch.qos.logback.classic.Logger rootLogger = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLogger.setLevel(Level.INFO);
    rootLogger.addAppender(appender);
    drive(threads, events);
    context.reset();
    double rate = events / ((System.nanoTime() - start) / 1e9);
    try {
      new ch.qos.logback.classic.util.ContextInitializer(context).autoConfig();
    } catch (ch.qos.logback.core.joran.spi.JoranException e) {
      throw new IllegalStateException("cannot restore the default Logback configuration", e);
    }
    return rate;
  }

  private static void drive(int threads, int events) throws InterruptedException {
    Logger log = LoggerFactory.getLogger("dev.vigil.bench.Orders");
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    int each = events / threads;
    for (int t = 0; t < threads; t++) {
      int id = t;
      int count = t == threads - 1 ? events - each * (threads - 1) : each;
      Thread w = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        MDC.put("request_id", "req-" + id);
        for (int i = 0; i < count; i++) {
          log.info("order {} placed by customer {}", i, id);
        }
        MDC.clear();
      }, "bench-writer-" + t);
      w.start();
      workers.add(w);
    }
    go.countDown();
    for (Thread w : workers) {
      w.join();
    }
  }

  private static long lines(Path dir, String file) throws IOException {
    long n = 0;
    for (Path p : LogFiles.generations(dir.resolve(file))) {
      try (Stream<String> s = Files.lines(p)) {
        n += s.count();
      }
    }
    return n;
  }

  private static long bytes(Path dir) throws IOException {
    long n = 0;
    for (Path p : LogFiles.generations(dir.resolve("bench.log"))) {
      n += Files.size(p);
    }
    return n;
  }

  private static long largest(Path dir) throws IOException {
    long max = 0;
    for (Path p : LogFiles.generations(dir.resolve("bench.log"))) {
      max = Math.max(max, Files.size(p));
    }
    return max;
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete benchmark dir " + dir, e);
    }
  }
}
