package dev.vigil.logging.setup;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.util.List;

/**
 * Hands each event to several appenders (each applying its own filters), so that one async queue
 * and one worker thread serve every file — Logback's async appender takes a single appender only.
 */
final class FanOutAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  private final List<Appender<ILoggingEvent>> targets;

  FanOutAppender(List<? extends Appender<ILoggingEvent>> targets) {
    this.targets = List.copyOf(targets);
    setName("fan-out");
  }

  @Override
  protected void append(ILoggingEvent event) {
    for (Appender<ILoggingEvent> a : targets) {
      a.doAppend(event);
    }
  }

  @Override
  public void stop() {
    super.stop();
    targets.forEach(Appender::stop);
  }
}
