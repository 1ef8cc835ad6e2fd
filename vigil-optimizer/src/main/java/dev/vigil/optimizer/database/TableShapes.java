package dev.vigil.optimizer.database;

import dev.vigil.insight.DatabaseInsight;
import dev.vigil.insight.QueryShape;
import dev.vigil.insight.QuerySort;
import dev.vigil.insight.Window;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The query shapes of the last day that read or write one table, found in their normalized text: what
 * a change to the table may speed up or slow down.
 */
final class TableShapes {
  /** How far back shapes are looked for. */
  static final Duration LOOKBACK = Duration.ofDays(1);
  private static final int LIMIT = 1000;
  private final List<QueryShape> shapes;

  private TableShapes(List<QueryShape> shapes) {
    this.shapes = shapes;
  }

  /** The shapes that ran in the last day (none for SQLite, which keeps no statement statistics). */
  static TableShapes recent(DatabaseInsight insight) {
    return new TableShapes(insight.queries(Window.last(LOOKBACK), QuerySort.TOTAL_TIME, LIMIT).shapes());
  }

  /** INSERT, UPDATE and DELETE shapes on {@code table} ({@code schema.table} or {@code table}). */
  List<String> writes(String table) {
    Pattern p = Pattern.compile("^\\s*(?:INSERT\\s+(?:IGNORE\\s+)?INTO|UPDATE|DELETE\\s+FROM|REPLACE\\s+INTO)\\s+"
        + name(table) + "(?:[\\s(;]|$)", Pattern.CASE_INSENSITIVE);
    return shapes.stream().filter(s -> p.matcher(s.query()).find()).map(QueryShape::shapeId).toList();
  }

  /** SELECT shapes reading {@code table}; when {@code column} is given, only those naming it (else all). */
  List<String> reads(String table, String column) {
    Pattern p = Pattern.compile("\\b(?:FROM|JOIN)\\s+" + name(table) + "(?:[\\s,;)]|$)", Pattern.CASE_INSENSITIVE);
    List<QueryShape> reading = shapes.stream().filter(s -> isRead(s.query()) && p.matcher(s.query()).find()).toList();
    if (column != null) {
      Pattern col = Pattern.compile("\\b" + Pattern.quote(column) + "\\b", Pattern.CASE_INSENSITIVE);
      List<QueryShape> naming = reading.stream().filter(s -> col.matcher(s.query()).find()).toList();
      if (!naming.isEmpty()) {
        return naming.stream().map(QueryShape::shapeId).toList();
      }
    }
    return reading.stream().map(QueryShape::shapeId).toList();
  }

  private static boolean isRead(String query) {
    String q = query.stripLeading().toUpperCase(Locale.ROOT);
    return q.startsWith("SELECT") || q.startsWith("WITH");
  }

  /** The table's name, optionally schema-qualified, optionally quoted with double quotes or backticks. */
  private static String name(String table) {
    int dot = table.lastIndexOf('.');
    String schema = dot < 0 ? null : table.substring(0, dot);
    String bare = table.substring(dot + 1);
    String quoted = "[`\"]?" + Pattern.quote(bare) + "[`\"]?";
    return schema == null ? quoted : "(?:[`\"]?" + Pattern.quote(schema) + "[`\"]?\\s*\\.\\s*)?" + quoted;
  }
}
