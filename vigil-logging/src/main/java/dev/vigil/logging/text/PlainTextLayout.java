package dev.vigil.logging.text;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import dev.vigil.logging.LogLevel;
import java.time.ZoneId;
import java.util.Map;

/**
 * The human format used on the console and in the files when JSON is off:
 * {@code <timestamp> <LEVEL> [<thread>] <logger> {mdc} - <message>}, then the stack trace indented.
 * Line breaks inside a message are escaped so that one record stays one line (no forged records).
 * With colour on, the first line is coloured by level as documented: DEBUG cyan, INFO green,
 * WARNING yellow, ERROR red, CRITICAL magenta.
 */
public final class PlainTextLayout extends LayoutBase<ILoggingEvent> {
  private static final String RESET = "\u001b[0m";
  private final boolean colour;
  private final ZoneId zone;

  /**
   * Creates the layout.
   *
   * @param colour whether to wrap lines in ANSI colours
   * @param zone time zone of timestamps
   */
  public PlainTextLayout(boolean colour, ZoneId zone) {
    this.colour = colour;
    this.zone = zone;
  }

  /** The ANSI colour sequence of a level (empty for TRACE). */
  public static String colourOf(LogLevel level) {
    return switch (level) {
      case TRACE -> "";
      case DEBUG -> "\u001b[36m";
      case INFO -> "\u001b[32m";
      case WARNING -> "\u001b[33m";
      case ERROR -> "\u001b[31m";
      case CRITICAL -> "\u001b[35;1m";
    };
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    LogLevel level = LogLevel.of(event);
    StringBuilder sb = new StringBuilder(160);
    String start = colour ? colourOf(level) : "";
    sb.append(start);
    sb.append(Timestamps.format(event.getInstant(), zone)).append(' ');
    String name = level.name();
    sb.append(name);
    for (int i = name.length(); i < 8; i++) {
      sb.append(' ');
    }
    sb.append('[').append(event.getThreadName()).append("] ").append(event.getLoggerName());
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null && !mdc.isEmpty()) {
      sb.append(" {");
      boolean first = true;
      for (Map.Entry<String, String> e : mdc.entrySet()) {
        sb.append(first ? "" : ", ").append(e.getKey()).append('=');
        escape(sb, e.getValue());
        first = false;
      }
      sb.append('}');
    }
    sb.append(" - ");
    escape(sb, event.getFormattedMessage());
    if (!start.isEmpty()) {
      sb.append(RESET);
    }
    sb.append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy proxy = event.getThrowableProxy();
    if (proxy != null) {
      for (String line : ThrowableProxyUtil.asString(proxy).split("\\R")) {
        if (!line.isBlank()) {
          sb.append('\t').append(line.strip()).append(CoreConstants.LINE_SEPARATOR);
        }
      }
    }
    return sb.toString();
  }

  /** Appends {@code text} with CR, LF and other control characters escaped. */
  static void escape(StringBuilder sb, String text) {
    if (text == null) {
      sb.append("null");
      return;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
  }
}
