package dev.vigil.logging.json;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.logging.LogFields;
import java.io.IOException;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Writes where the record was logged, with Python's names: {@code module} (the simple
 * class name), {@code function} (the method) and {@code line}. Nothing is written when the caller
 * is unknown.
 */
public final class LocationJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    StackTraceElement[] callers = event.getCallerData();
    if (callers == null || callers.length == 0) {
      return;
    }
    StackTraceElement caller = callers[0];
    String cls = caller.getClassName();
    generator.writeStringField(LogFields.MODULE, cls.substring(cls.lastIndexOf('.') + 1));
    generator.writeStringField(LogFields.FUNCTION, caller.getMethodName());
    generator.writeNumberField(LogFields.LINE, caller.getLineNumber());
  }
}
