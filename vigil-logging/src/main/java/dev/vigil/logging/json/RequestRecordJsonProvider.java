package dev.vigil.logging.json;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.logging.LogFields;
import dev.vigil.logging.request.RequestRecord;
import java.io.IOException;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Writes a {@link RequestRecord} carried as the event's argument with the documented request-log field
 * names: {@code method, path, status_code, response_time_ms, user_id, ip_address, user_agent},
 * plus {@code request_id} and {@code slow}.
 */
public final class RequestRecordJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    RequestRecord r = of(event);
    if (r == null) {
      return;
    }
    generator.writeStringField("method", r.method());
    generator.writeStringField("path", r.path());
    generator.writeNumberField("status_code", r.statusCode());
    generator.writeNumberField("response_time_ms", Math.round(r.responseTimeMs() * 100) / 100.0);
    generator.writeStringField(LogFields.USER_ID, r.userId());
    generator.writeStringField("ip_address", r.ipAddress());
    generator.writeStringField("user_agent", r.userAgent());
    generator.writeStringField(LogFields.REQUEST_ID, r.requestId());
    generator.writeBooleanField("slow", r.slow());
  }

  /** The request record an event carries, or {@code null}. */
  public static RequestRecord of(ILoggingEvent event) {
    Object[] args = event.getArgumentArray();
    return args != null && args.length == 1 && args[0] instanceof RequestRecord r ? r : null;
  }
}
