package dev.vigil.logging.setup;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import dev.vigil.logging.file.SizeRotatingFileAppender;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Hands each event to several appenders (each applying its own filters), so that one async queue
 * and one worker thread serve every file — Logback's async appender takes a single appender only.
 * Its files are buffered and flushed whenever the queue feeding it runs dry, so a burst costs one
 * write per batch while a quiet server's records reach the file at once.
 */
final class FanOutAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
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
      files.forEach(SizeRotatingFileAppender::flush);
    }
  }

  @Override
  public void stop() {
    super.stop();
    targets.forEach(Appender::stop);
  }
}
