package dev.vigil.logging.setup;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import dev.vigil.logging.file.SizeRotatingFileAppender;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Hands each event to several appenders (each applying its own filters), so that one async queue
 * and one worker thread serve every file — Logback's async appender takes a single appender only.
 * Its files are buffered and flushed whenever the queue feeding it runs dry, after lingering
 * {@value #LINGER_MICROS} µs for more: a busy server's records then go out as one write per batch
 * (and its request threads hand records to a worker that is not parked, so they need not wake it),
 * while a quiet server's records reach the file within that linger.
 */
final class FanOutAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  /** How long the worker waits for more records once its queue ran dry, before writing the batch. */
  static final long LINGER_MICROS = 5000;
  private final List<Appender<ILoggingEvent>> targets;
  private final List<SizeRotatingFileAppender> files;
  private final BooleanSupplier queueEmpty;

  /**
   * @param targets where each event goes
   * @param queueEmpty whether the queue feeding this appender holds no more events
   */
  FanOutAppender(List<? extends Appender<ILoggingEvent>> targets, BooleanSupplier queueEmpty) {
    this.targets = List.copyOf(targets);
    this.files = this.targets.stream().filter(SizeRotatingFileAppender.class::isInstance)
        .map(SizeRotatingFileAppender.class::cast).toList();
    this.queueEmpty = queueEmpty;
    files.forEach(f -> f.setBuffered(true));
    setName("fan-out");
  }

  @Override
  protected void append(ILoggingEvent event) {
    for (Appender<ILoggingEvent> a : targets) {
      a.doAppend(event);
    }
    if (queueEmpty.getAsBoolean()) {
      linger();
      files.forEach(SizeRotatingFileAppender::flush);
    }
  }

  /**
   * Waits {@value #LINGER_MICROS} µs, so that records logged meanwhile join this batch. An interrupt
   * (the async appender stopping) ends the wait and is kept for the worker to see.
   */
  private static void linger() {
    try {
      TimeUnit.MICROSECONDS.sleep(LINGER_MICROS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void stop() {
    super.stop();
    targets.forEach(Appender::stop);
  }
}
