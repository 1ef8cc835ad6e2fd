package dev.vigil.logging.json;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import dev.vigil.logging.LogFields;
import dev.vigil.logging.text.Timestamps;
import java.time.ZoneId;
import net.logstash.logback.composite.JsonProvider;
import net.logstash.logback.composite.loggingevent.KeyValuePairsJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggerNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventFormattedTimestampJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventJsonProviders;
import net.logstash.logback.composite.loggingevent.LoggingEventThreadNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LogstashMarkersJsonProvider;
import net.logstash.logback.composite.loggingevent.MdcJsonProvider;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;

/**
 * The logstash-logback-encoder encoders of Vigil's JSON records, one object per line, with the
 * documented field names.
 */
public final class JsonRecordEncoders {
  private JsonRecordEncoders() {
  }

  /**
   * The general record: {@code timestamp, level, logger, message, module, function, line, thread},
   * the MDC ({@code request_id}, {@code user_id}, …), SLF4J key-value pairs and logstash markers,
   * and {@code exception {type, message, traceback[]}}.
   *
   * @param includeLocation whether to write {@code module, function, line}
   */
  public static LoggingEventCompositeJsonEncoder general(Context context, ZoneId zone, boolean includeLocation) {
    LoggingEventJsonProviders providers = new LoggingEventJsonProviders();
    providers.addTimestamp(timestamp(zone));
    providers.addProvider(new SeedLevelJsonProvider());
    LoggerNameJsonProvider logger = new LoggerNameJsonProvider();
    logger.setFieldName(LogFields.LOGGER);
    providers.addLoggerName(logger);
    MessageJsonProvider message = new MessageJsonProvider();
    message.setFieldName(LogFields.MESSAGE);
    providers.addMessage(message);
    if (includeLocation) {
      providers.addProvider(new LocationJsonProvider());
    }
    LoggingEventThreadNameJsonProvider thread = new LoggingEventThreadNameJsonProvider();
    thread.setFieldName(LogFields.THREAD);
    providers.addThreadName(thread);
    providers.addMdc(new MdcJsonProvider());
    providers.addKeyValuePairs(new KeyValuePairsJsonProvider());
    providers.addLogstashMarkers(new LogstashMarkersJsonProvider());
    providers.addProvider(new ExceptionJsonProvider());
    return encoder(context, providers);
  }

  /**
   * The request record: {@code timestamp, method, path, status_code, response_time_ms, user_id,
   * ip_address, user_agent, request_id, slow}.
   */
  public static LoggingEventCompositeJsonEncoder requests(Context context, ZoneId zone) {
    LoggingEventJsonProviders providers = new LoggingEventJsonProviders();
    providers.addTimestamp(timestamp(zone));
    providers.addProvider(new RequestRecordJsonProvider());
    return encoder(context, providers);
  }

  private static LoggingEventFormattedTimestampJsonProvider timestamp(ZoneId zone) {
    LoggingEventFormattedTimestampJsonProvider ts = new LoggingEventFormattedTimestampJsonProvider();
    ts.setFieldName(LogFields.TIMESTAMP);
    ts.setPattern(Timestamps.PATTERN);
    ts.setTimeZone(zone.getId());
    return ts;
  }

  private static LoggingEventCompositeJsonEncoder encoder(Context context, LoggingEventJsonProviders providers) {
    LoggingEventCompositeJsonEncoder encoder = new LoggingEventCompositeJsonEncoder();
    encoder.setContext(context);
    for (JsonProvider<ILoggingEvent> p : providers.getProviders()) {
      p.setContext(context);
    }
    encoder.setProviders(providers);
    encoder.start();
    return encoder;
  }
}
