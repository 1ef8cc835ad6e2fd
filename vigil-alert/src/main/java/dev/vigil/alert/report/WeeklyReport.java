package dev.vigil.alert.report;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sections of the weekly report page after its incident table (SLO budgets, backups, optimizer
 * actions: whatever the running features add), rendered fresh in Confluence storage format (XHTML)
 * each time the page is updated.
 */
public final class WeeklyReport {
  private static final Logger LOG = LoggerFactory.getLogger(WeeklyReport.class);
  private final Map<String, ReportSource> sections = new LinkedHashMap<>();

  /**
   * Adds a section titled {@code title}, shown in the order added.
   *
   * @throws IllegalArgumentException when a section of that title exists
   */
  public synchronized void add(String title, ReportSource source) {
    Objects.requireNonNull(source, "source");
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("a report section needs a title");
    }
    if (sections.putIfAbsent(title, source) != null) {
      throw new IllegalArgumentException("the weekly report already has a section titled " + title);
    }
  }

  /** Whether no section was added. */
  public synchronized boolean isEmpty() {
    return sections.isEmpty();
  }

  /**
   * Every section for {@code [from, to)} as storage-format XHTML: a heading, the note, the table. A
   * section whose data cannot be read says so with the reason instead of failing the page.
   */
  public String render(Instant from, Instant to) {
    Map<String, ReportSource> copy;
    synchronized (this) {
      copy = new LinkedHashMap<>(sections);
    }
    StringBuilder sb = new StringBuilder();
    copy.forEach((title, source) -> {
      sb.append("<h2>").append(esc(title)).append("</h2>");
      ReportTable t;
      try {
        t = source.read(from, to);
      } catch (RuntimeException e) {
        LOG.warn("weekly report section {} could not be read: {}", title, e.getMessage(), e);
        t = ReportTable.note("unavailable: " + e.getMessage());
      }
      if (t.note() != null) {
        sb.append("<p>").append(esc(t.note())).append("</p>");
      }
      if (!t.rows().isEmpty()) {
        sb.append("<table><tbody><tr>");
        t.headers().forEach(h -> sb.append("<th>").append(esc(h)).append("</th>"));
        sb.append("</tr>");
        for (var row : t.rows()) {
          sb.append("<tr>");
          row.forEach(c -> sb.append("<td>").append(esc(c)).append("</td>"));
          sb.append("</tr>");
        }
        sb.append("</tbody></table>");
      }
    });
    return sb.toString();
  }

  /** Escapes text for XHTML. */
  public static String esc(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
