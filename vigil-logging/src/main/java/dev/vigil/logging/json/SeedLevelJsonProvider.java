package dev.vigil.logging.json;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.logging.LogFields;
import dev.vigil.logging.LogLevel;
import java.io.IOException;
import net.logstash.logback.composite.AbstractFieldJsonProvider;

/** Writes {@code "level"} with the documented names: DEBUG, INFO, WARNING, ERROR, CRITICAL (and TRACE). */
public final class SeedLevelJsonProvider extends AbstractFieldJsonProvider<ILoggingEvent> {
  /** Writes into the {@code level} field. */
  public SeedLevelJsonProvider() {
    setFieldName(LogFields.LEVEL);
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    generator.writeStringField(getFieldName(), LogLevel.of(event).name());
  }
}
