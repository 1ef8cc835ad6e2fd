package dev.vigil.logging.setup;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import dev.vigil.logging.LogFiles;
import dev.vigil.logging.LogLevel;
import dev.vigil.logging.file.SizeRotatingFileAppender;
import dev.vigil.logging.json.JsonRecordEncoders;
import dev.vigil.logging.request.RequestLog;
import dev.vigil.logging.text.PlainTextLayout;
import dev.vigil.logging.text.RequestTextLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The documented {@code setup_logging}, for Logback and in code (no XML): replaces the JVM's Logback
 * configuration with the console and the files of {@link LoggingOptions}:
 * <ul>
 *   <li>{@code <app>.log} — records at the level and above;</li>
 *   <li>{@code <app>_errors.log} — ERROR and CRITICAL;</li>
 *   <li>{@code <app>_debug.log} — every record, only when the level is DEBUG or TRACE;</li>
 *   <li>{@code <app>_requests.log} — the {@link RequestLog} records, and only those.</li>
 * </ul>
 * Each file rotates by size to {@code <file>.1 … <file>.N}. Logback is one per JVM, so the latest
 * call wins; closing an older {@link ConfiguredLogging} then does nothing.
 */
public final class LoggingSetup {
  /** Libraries that are noisy below WARN; they are held at WARN unless the level is already higher. */
  private static final List<String> QUIET = List.of("com.zaxxer.hikari", "org.flywaydb", "org.eclipse.jetty",
      "io.javalin", "org.jdbi", "io.lettuce", "io.netty", "reactor");
  private static final Object LOCK = new Object();
  private static long generation;

  private LoggingSetup() {
  }

  /**
   * Configures Logback from {@code options}, with colour decided from this JVM's console and
   * environment.
   *
   * @return the handle that flushes and closes everything
   * @throws IllegalStateException naming the file when a log file cannot be opened (Logback is then
   *     left with its default configuration)
   */
  public static ConfiguredLogging configure(LoggingOptions options) {
    return configure(options, options.colour().resolve(ConsoleColour.consoleIsTerminal(), System.getenv()));
  }

  /**
   * Configures Logback from {@code options} with colour on the console decided by the caller.
   *
   * @param colour whether console records are coloured
   */
  public static ConfiguredLogging configure(LoggingOptions options, boolean colour) {
    LoggerContext context = context();
    synchronized (LOCK) {
      context.reset();
      long startedAt = System.currentTimeMillis();
      Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      root.setLevel(options.level().logback());
      if (options.level().ordinal() < LogLevel.WARNING.ordinal()) {
        QUIET.forEach(name -> context.getLogger(name).setLevel(Level.WARN));
      }
      LogFiles files = options.logFiles();
      List<Appender<ILoggingEvent>> general = new ArrayList<>();
      List<SizeRotatingFileAppender> fileAppenders = new ArrayList<>();
      if (options.files()) {
        fileAppenders.add(file(context, options, files.main(), generalEncoder(context, options), options.level()));
        fileAppenders.add(file(context, options, files.errors(), generalEncoder(context, options), LogLevel.ERROR));
        if (options.level().ordinal() <= LogLevel.DEBUG.ordinal()) {
          fileAppenders.add(file(context, options, files.debug(), generalEncoder(context, options), null));
        }
        general.addAll(fileAppenders);
      }
      if (options.console()) {
        general.add(console(context, options, colour));
      }
      List<DropCountingAsyncAppender> queues = new ArrayList<>();
      attach(context, root, general, options, options.dropWhenBusy(), options.includeLocation(), queues);

      Logger requests = context.getLogger(RequestLog.LOGGER_NAME);
      requests.setAdditive(false);
      if (options.files()) {
        requests.setLevel(Level.INFO);
        Encoder<ILoggingEvent> encoder = options.json() ? JsonRecordEncoders.requests(context, options.zone())
            : layoutEncoder(context, new RequestTextLayout(options.zone()));
        SizeRotatingFileAppender requestFile = file(context, options, files.requests(), encoder, null);
        fileAppenders.add(requestFile);
        // a request record names no code location, so its queue never pays for the caller's stack
        attach(context, requests, List.of(requestFile), options, false, false, queues);
      } else {
        requests.setLevel(Level.OFF);
      }

      List<String> failures = new ArrayList<>();
      for (SizeRotatingFileAppender a : fileAppenders) {
        if (!a.isStarted()) {
          failures.add(a.file().toAbsolutePath().toString());
        }
      }
      if (!failures.isEmpty()) {
        String why = errorsSince(context, startedAt);
        restoreDefault(context);
        throw new IllegalStateException("cannot open log files " + failures + (why.isEmpty() ? "" : ": " + why));
      }
      generation++;
      return new ConfiguredLogging(options, generation, queues);
    }
  }

  /**
   * Sends the records of the logger {@code loggerName}, and only those, to a file of their own in the
   * request log's shape ({@link RequestLog} records, JSON or text as {@code options} say), rotated and
   * protected like the other files and written like the request log: through a queue that one worker
   * drains in batches, never dropping a record (a full queue makes the caller wait). Call it after
   * {@link #configure}, which would otherwise reset it.
   *
   * @return the handle that flushes, closes the file and detaches it from the logger
   * @throws IllegalStateException naming the file when it cannot be opened
   */
  public static AutoCloseable separateRequestFile(LoggingOptions options, String loggerName, Path file) {
    LoggerContext context = context();
    synchronized (LOCK) {
      long startedAt = System.currentTimeMillis();
      Logger logger = context.getLogger(loggerName);
      logger.setAdditive(false);
      logger.detachAndStopAllAppenders();
      Encoder<ILoggingEvent> encoder = options.json() ? JsonRecordEncoders.requests(context, options.zone())
          : layoutEncoder(context, new RequestTextLayout(options.zone()));
      SizeRotatingFileAppender a = file(context, options, file, encoder, null);
      if (!a.isStarted()) {
        String why = errorsSince(context, startedAt);
        throw new IllegalStateException("cannot open log file " + file.toAbsolutePath() + (why.isEmpty() ? "" : ": " + why));
      }
      List<DropCountingAsyncAppender> queues = new ArrayList<>();
      attach(context, logger, List.of(a), options, false, false, queues);
      logger.setLevel(Level.INFO);
      return () -> {
        synchronized (LOCK) {
          logger.detachAndStopAllAppenders(); // the queue's worker writes what is left, then closes the file
        }
      };
    }
  }

  /** Whether {@code handle} is the configuration Logback runs with now. */
  static boolean isCurrent(long handleGeneration) {
    synchronized (LOCK) {
      return handleGeneration == generation;
    }
  }

  /**
   * Stops the configuration of {@code handleGeneration} if it is still the current one (flushing
   * queued records) and puts back Logback's default configuration.
   */
  static void close(long handleGeneration) {
    LoggerContext context = context();
    synchronized (LOCK) {
      if (handleGeneration != generation) {
        return;
      }
      generation++;
      restoreDefault(context);
    }
  }

  private static void restoreDefault(LoggerContext context) {
    context.reset();
    try {
      new ContextInitializer(context).autoConfig();
    } catch (JoranException e) {
      throw new IllegalStateException("cannot restore the default Logback configuration", e);
    }
  }

  private static LoggerContext context() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext c) {
      return c;
    }
    throw new IllegalStateException("SLF4J is bound to " + factory.getClass().getName()
        + ", not Logback; vigil-logging configures Logback only");
  }

  private static void attach(LoggerContext context, Logger logger, List<? extends Appender<ILoggingEvent>> targets,
      LoggingOptions options, boolean mayDrop, boolean callerData, List<DropCountingAsyncAppender> queues) {
    if (!options.async()) {
      targets.forEach(logger::addAppender);
      return;
    }
    DropCountingAsyncAppender async = new DropCountingAsyncAppender();
    async.setContext(context);
    async.setName("async-" + logger.getName());
    async.setQueueSize(options.queueSize());
    async.setDiscardingThreshold(mayDrop ? options.queueSize() / 5 : 0);
    async.setNeverBlock(false);
    async.setIncludeCallerData(callerData);
    async.setMaxFlushTime(30_000);
    FanOutAppender fanOut = new FanOutAppender(targets, () -> async.getNumberOfElementsInQueue() == 0);
    fanOut.setContext(context);
    fanOut.start();
    async.addAppender(fanOut);
    async.start();
    logger.addAppender(async);
    queues.add(async);
  }

  private static SizeRotatingFileAppender file(LoggerContext context, LoggingOptions options, Path path,
      Encoder<ILoggingEvent> encoder, LogLevel min) {
    SizeRotatingFileAppender a = new SizeRotatingFileAppender(path, options.maxBytes(), options.backupCount(), encoder,
        options.fileModes());
    a.setContext(context);
    if (min != null) {
      LevelFilter filter = new LevelFilter(min);
      filter.start();
      a.addFilter(filter);
    }
    a.start();
    return a;
  }

  private static Encoder<ILoggingEvent> generalEncoder(LoggerContext context, LoggingOptions options) {
    return options.json() ? JsonRecordEncoders.general(context, options.zone(), options.includeLocation())
        : layoutEncoder(context, new PlainTextLayout(false, options.zone()));
  }

  private static ConsoleAppender<ILoggingEvent> console(LoggerContext context, LoggingOptions options,
      boolean colour) {
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget("System.err");
    console.setEncoder(layoutEncoder(context, new PlainTextLayout(colour, options.zone())));
    LevelFilter filter = new LevelFilter(options.level());
    filter.start();
    console.addFilter(filter);
    console.start();
    return console;
  }

  private static Encoder<ILoggingEvent> layoutEncoder(LoggerContext context,
      LayoutBase<ILoggingEvent> layout) {
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    return encoder;
  }

  private static String errorsSince(LoggerContext context, long since) {
    StringBuilder sb = new StringBuilder();
    for (Status s : context.getStatusManager().getCopyOfStatusList()) {
      if (s.getLevel() == Status.ERROR && s.getTimestamp() >= since) {
        sb.append(sb.isEmpty() ? "" : "; ").append(s.getMessage());
        if (s.getThrowable() != null) {
          sb.append(" (").append(s.getThrowable()).append(')');
        }
      }
    }
    return sb.toString();
  }
}
