package dev.vigil.monitor.apm;

import java.util.regex.Pattern;

/**
 * The shape of a SQL statement: literals replaced by {@code ?}, comments dropped, lists of values in
 * {@code IN (...)} folded, whitespace collapsed, cut to 200 characters. Statements that differ only in
 * their values share one shape, so percentiles are per statement, and no value (a password in an
 * {@code ALTER USER}, a customer's e-mail) ever reaches the log.
 */
public final class SqlShape {
  /** Longest shape kept. */
  public static final int MAX_LENGTH = 200;

  private static final Pattern LINE_COMMENT = Pattern.compile("--[^\\n]*");
  private static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
  private static final Pattern STRING = Pattern.compile("(?:[EeNnBbXx])?'(?:[^']|'')*'");
  private static final Pattern DOLLAR_STRING = Pattern.compile("\\$([A-Za-z_]*)\\$.*?\\$\\1\\$", Pattern.DOTALL);
  private static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z_0-9$.])-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?(?![A-Za-z_0-9])");
  private static final Pattern IN_LIST = Pattern.compile("(?i)\\bIN\\s*\\(\\s*\\?(?:\\s*,\\s*\\?)*\\s*\\)");
  private static final Pattern VALUES_LIST = Pattern.compile("(?i)\\bVALUES\\s*(\\(\\s*\\?(?:\\s*,\\s*\\?)*\\s*\\))(?:\\s*,\\s*\\(\\s*\\?(?:\\s*,\\s*\\?)*\\s*\\))+");
  private static final Pattern SPACE = Pattern.compile("\\s+");

  private SqlShape() {
  }

  /**
   * The shape of {@code sql}.
   *
   * @throws IllegalArgumentException when {@code sql} is null or blank
   */
  public static String of(String sql) {
    if (sql == null || sql.isBlank()) {
      throw new IllegalArgumentException("query text must not be empty");
    }
    String s = BLOCK_COMMENT.matcher(sql).replaceAll(" ");
    s = LINE_COMMENT.matcher(s).replaceAll(" ");
    s = DOLLAR_STRING.matcher(s).replaceAll("?");
    s = STRING.matcher(s).replaceAll("?");
    s = NUMBER.matcher(s).replaceAll("?");
    s = SPACE.matcher(s).replaceAll(" ").trim();
    s = IN_LIST.matcher(s).replaceAll("IN (?)");
    s = VALUES_LIST.matcher(s).replaceAll("VALUES $1, ...");
    if (s.length() > MAX_LENGTH) {
      s = s.substring(0, MAX_LENGTH - 1) + "…";
    }
    return s;
  }
}
