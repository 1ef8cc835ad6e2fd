package dev.vigil.logging.setup;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import dev.vigil.logging.LogLevel;

/** Lets through the records at or above one level (so CRITICAL can be told from ERROR). */
final class LevelFilter extends Filter<ILoggingEvent> {
  private final LogLevel min;

  LevelFilter(LogLevel min) {
    this.min = min;
  }

  @Override
  public FilterReply decide(ILoggingEvent event) {
    return min.admits(LogLevel.of(event)) ? FilterReply.NEUTRAL : FilterReply.DENY;
  }
}
