package dev.vigil.insight;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.regex.Pattern;

/** Small JDBC helpers shared by the engines. */
final class Jdbc {
  private static final Pattern SECRET = Pattern.compile("(?i)(password|pwd)=[^&\\s;]*");

  private Jdbc() {
  }

  static Instant instant(ResultSet rs, int col) throws SQLException {
    Timestamp t = rs.getTimestamp(col);
    return t == null ? null : t.toInstant();
  }

  static long longOr(ResultSet rs, int col, long fallback) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? fallback : v;
  }

  static double doubleOr(ResultSet rs, int col, double fallback) throws SQLException {
    double v = rs.getDouble(col);
    return rs.wasNull() ? fallback : v;
  }

  /** A driver message without anything that looks like a password. */
  static String message(SQLException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    if (nl > 0) {
      m = m.substring(0, nl);
    }
    return SECRET.matcher(m).replaceAll("$1=***");
  }

  static String cut(String s, int max) {
    if (s == null) {
      return null;
    }
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }

  /** Double-quotes an identifier when it needs it. */
  static String ident(String name) {
    if (name.matches("[a-z_][a-z0-9_]*")) {
      return name;
    }
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
