package dev.vigil.logging.setup;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.vigil.logging.json.RequestRecordJsonProvider;
import dev.vigil.logging.request.RequestLog;
import java.util.concurrent.atomic.LongAdder;

/**
 * Logback's {@link AsyncAppender} (blocking, so WARN and above always wait for room) that never
 * drops request records and counts the DEBUG/INFO records it drops when its queue is nearly full.
 */
final class DropCountingAsyncAppender extends AsyncAppender {
  private final LongAdder dropped = new LongAdder();

  /** Records dropped so far. */
  long dropped() {
    return dropped.sum();
  }

  /**
   * A request record is immutable and its encoders read only the record and the timestamp, so it goes
   * on the queue as it is; other events first take a copy of what is thread-bound (message, MDC, thread).
   */
  @Override
  protected void preprocess(ILoggingEvent event) {
    if (RequestRecordJsonProvider.of(event) == null) {
      super.preprocess(event);
    }
  }

  @Override
  protected boolean isDiscardable(ILoggingEvent event) {
    if (RequestLog.LOGGER_NAME.equals(event.getLoggerName()) || !super.isDiscardable(event)) {
      return false;
    }
    dropped.increment();
    return true;
  }
}
