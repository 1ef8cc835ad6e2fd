package dev.vigil.logging.text;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import dev.vigil.logging.json.RequestRecordJsonProvider;
import dev.vigil.logging.request.RequestRecord;
import java.time.ZoneId;
import java.util.Locale;

/**
 * The plain-text request record (JSON off), one line, grep-friendly:
 * {@code <timestamp> GET /path status_code=200 response_time_ms=1.23 user_id=… ip_address=… request_id=… slow=false user_agent="…"}.
 */
public final class RequestTextLayout extends LayoutBase<ILoggingEvent> {
  private final ZoneId zone;

  /** Creates the layout writing timestamps in {@code zone}. */
  public RequestTextLayout(ZoneId zone) {
    this.zone = zone;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    RequestRecord r = RequestRecordJsonProvider.of(event);
    StringBuilder sb = new StringBuilder(200);
    sb.append(Timestamps.format(event.getInstant(), zone)).append(' ');
    if (r == null) {
      PlainTextLayout.escape(sb, event.getFormattedMessage());
      return sb.append(CoreConstants.LINE_SEPARATOR).toString();
    }
    PlainTextLayout.escape(sb, r.method());
    sb.append(' ');
    PlainTextLayout.escape(sb, r.path().replace(' ', '+'));
    sb.append(" status_code=").append(r.statusCode())
        .append(" response_time_ms=").append(String.format(Locale.ROOT, "%.2f", r.responseTimeMs()))
        .append(" user_id=");
    PlainTextLayout.escape(sb, r.userId() == null ? "-" : r.userId().replace(' ', '+'));
    sb.append(" ip_address=");
    PlainTextLayout.escape(sb, r.ipAddress());
    sb.append(" request_id=");
    PlainTextLayout.escape(sb, r.requestId() == null ? "-" : r.requestId().replace(' ', '+'));
    sb.append(" slow=").append(r.slow()).append(" user_agent=\"");
    PlainTextLayout.escape(sb, r.userAgent() == null ? "" : r.userAgent().replace("\"", "'"));
    return sb.append('"').append(CoreConstants.LINE_SEPARATOR).toString();
  }
}
