package dev.vigil.backup.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** Small JDBC helpers shared by the engines: identifier quoting and row counting. */
final class Sql {
  private Sql() {
  }

  /** {@code "name"} with embedded quotes doubled (PostgreSQL, SQLite). */
  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** {@code `name`} with embedded back-ticks doubled (MySQL). */
  static String backtick(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  /** The single value of a one-row, one-column query. */
  static String one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new SQLException("no row from: " + sql);
      }
      return rs.getString(1);
    }
  }

  /**
   * Counts rows of each table.
   *
   * @param tables pairs of (key in the result, quoted name for {@code FROM})
   */
  static SortedMap<String, Long> count(Connection c, List<String[]> tables) throws SQLException {
    SortedMap<String, Long> counts = new TreeMap<>();
    try (Statement s = c.createStatement()) {
      for (String[] t : tables) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + t[1])) {
          rs.next();
          counts.put(t[0], rs.getLong(1));
        }
      }
    }
    return counts;
  }
}
