package dev.vigil.logging.json;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.logging.LogFields;
import java.io.IOException;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Writes the documented {@code exception} object for a record with a throwable: {@code type} (class
 * name), {@code message} and {@code traceback}, the stack trace one line per array element
 * (causes and suppressed exceptions included, as {@code Caused by: …} lines).
 */
public final class ExceptionJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    IThrowableProxy proxy = event.getThrowableProxy();
    if (proxy == null) {
      return;
    }
    generator.writeObjectFieldStart(LogFields.EXCEPTION);
    generator.writeStringField("type", proxy.getClassName());
    generator.writeStringField("message", proxy.getMessage());
    generator.writeArrayFieldStart("traceback");
    for (String line : ThrowableProxyUtil.asString(proxy).split("\\R")) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty()) {
        generator.writeString(trimmed);
      }
    }
    generator.writeEndArray();
    generator.writeEndObject();
  }
}
