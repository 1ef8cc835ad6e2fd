package dev.vigil.insight;

import dev.vigil.backup.engine.DatabaseUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * SQLite: the catalog ({@code sqlite_schema}, index pragmas), sizes and free space from the
 * {@code dbstat} virtual table when compiled in, and an advisor over given statements that asks the
 * {@code sqlite3} shell's {@code .expert} (SQLite's own hypothetical-index planner) and compares
 * {@code EXPLAIN QUERY PLAN} before and after. SQLite keeps no statement statistics, so query shapes
 * are empty; the file is opened read-only.
 */
final class SqliteInspector implements Inspector, Maintenance {
  private static final Pattern EXPERT_INDEX = Pattern.compile(
      "(?m)^CREATE INDEX (\\S+) ON (\\S+?)\\((.+)\\);\\s*$");
  private final String name;
  private final DatabaseUrl url;
  private final InsightSettings settings;
  private final Clock clock;

  SqliteInspector(String name, DatabaseUrl url, InsightSettings settings, Clock clock) {
    this.name = name;
    this.url = url;
    this.settings = settings;
    this.clock = clock;
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T with(String what, Work<T> work) {
    if (!Files.isReadable(url.sqlitePath())) {
      throw new InsightException(what + " of database '" + name + "' failed: cannot read " + url.sqlitePath());
    }
    org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, settings.statementTimeout().toMillis()));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + url.sqlitePath(), config.toProperties())) {
      return work.run(c);
    } catch (SQLException e) {
      throw new InsightException(what + " of database '" + name + "' (" + url.sqlitePath() + ") failed: "
          + Jdbc.message(e), e);
    }
  }

  private Statement statement(Connection c) throws SQLException {
    Statement s = c.createStatement();
    s.setQueryTimeout((int) Math.max(1, settings.statementTimeout().toSeconds()));
    return s;
  }

  @Override
  public Counters counters() {
    return new Counters(List.of(), List.of(), null);
  }

  private Map<String, long[]> dbstat(Connection c, List<String> notes) {
    Map<String, long[]> sizes = new HashMap<>();
    try (Statement s = statement(c); ResultSet rs = s.executeQuery(
        "SELECT name, sum(pgsize), sum(unused) FROM dbstat GROUP BY name")) {
      while (rs.next()) {
        sizes.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
      }
    } catch (SQLException e) {
      notes.add("sizes are unknown: this SQLite has no dbstat table (" + Jdbc.message(e) + ")");
    }
    return sizes;
  }

  @Override
  public IndexReport indexes() {
    return with("reading the indexes", c -> {
      List<String> notes = new ArrayList<>();
      Map<String, long[]> sizes = dbstat(c, notes);
      List<PostgresInspector.Row> rows = new ArrayList<>();
      List<String[]> indexes = new ArrayList<>();
      try (Statement s = statement(c); ResultSet rs = s.executeQuery("SELECT name, tbl_name, COALESCE(sql, '') "
          + "FROM sqlite_master WHERE type = 'index' ORDER BY tbl_name, name")) {
        while (rs.next()) {
          indexes.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        }
      }
      for (String[] ix : indexes) {
        List<String> cols = new ArrayList<>();
        // keys as compared: the column with its collation and direction
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, \"desc\", coll FROM pragma_index_xinfo(?) "
            + "WHERE key = 1 ORDER BY seqno")) {
          ps.setString(1, ix[0]);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String col = rs.getString(1) == null ? "(expression)" : rs.getString(1);
              cols.add(col);
              keys.add(col + " " + rs.getString(3) + (rs.getInt(2) == 1 ? " DESC" : ""));
            }
          }
        }
        boolean unique = false;
        boolean constraint = false;
        try (PreparedStatement ps = c.prepareStatement("SELECT \"unique\", origin FROM pragma_index_list(?) "
            + "WHERE name = ?")) {
          ps.setString(1, ix[1]);
          ps.setString(2, ix[0]);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              unique = rs.getInt(1) == 1;
              constraint = !"c".equals(rs.getString(2));
            }
          }
        }
        String predicate = ix[2].toUpperCase(java.util.Locale.ROOT).contains(" WHERE ")
            ? ix[2].substring(ix[2].toUpperCase(java.util.Locale.ROOT).indexOf(" WHERE ")) : "";
        String def = ix[2].isEmpty() ? "(automatic index of a " + (unique ? "UNIQUE or PRIMARY KEY" : "") + " constraint)"
            : ix[2];
        // expression keys are told apart by their text, so two different expressions are never duplicates
        String exprs = cols.contains("(expression)") && ix[2].indexOf('(') >= 0
            ? ix[2].substring(ix[2].indexOf('(')).replaceAll("\\s+", " ") : "";
        rows.add(new PostgresInspector.Row("main", ix[1], ix[0], def, sizes.getOrDefault(ix[0], new long[] {-1})[0],
            -1, unique, constraint, true, "btree", cols, keys, List.of(), predicate, exprs));
      }
      notes.add("SQLite counts no index scans: unused indexes cannot be told");
      return new IndexReport(name, PostgresInspector.judge(rows), notes);
    });
  }

  @Override
  public TableReport tables(Map<String, double[]> rates) {
    return with("reading the tables", c -> {
      List<String> notes = new ArrayList<>();
      Map<String, long[]> sizes = dbstat(c, notes);
      Map<String, Long> indexBytes = new HashMap<>();
      try (Statement s = statement(c); ResultSet rs = s.executeQuery("SELECT name, tbl_name FROM sqlite_master "
          + "WHERE type = 'index'")) {
        while (rs.next()) {
          indexBytes.merge(rs.getString(2), sizes.getOrDefault(rs.getString(1), new long[] {0})[0], Long::sum);
        }
      }
      Map<String, Long> statRows = new HashMap<>();
      boolean analyzed = false;
      try (Statement s = statement(c); ResultSet rs = s.executeQuery("SELECT tbl, stat FROM sqlite_stat1 WHERE idx IS NULL "
          + "OR idx = tbl")) {
        analyzed = true;
        while (rs.next()) {
          statRows.put(rs.getString(1), Long.parseLong(rs.getString(2).split(" ")[0]));
        }
      } catch (SQLException e) {
        notes.add("the database was never analyzed (no sqlite_stat1): run ANALYZE so the planner knows table sizes");
      }
      List<String> names = new ArrayList<>();
      try (Statement s = statement(c); ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' "
          + "AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      List<TableInfo> tables = new ArrayList<>();
      for (String t : names) {
        long rowsN;
        try (Statement s = statement(c); ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + t.replace("\"", "\"\"")
            + "\"")) {
          rowsN = rs.next() ? rs.getLong(1) : 0;
        }
        long[] sz = sizes.getOrDefault(t, new long[] {-1, 0});
        long idx = indexBytes.getOrDefault(t, 0L);
        boolean bloated = sz[1] >= 1_048_576 && sz[1] >= sz[0] * 0.2;
        Long known = statRows.get(t);
        boolean stale = (analyzed || rowsN >= settings.largeTableRows()) && (known == null
            ? rowsN >= settings.largeTableRows() : Math.abs(rowsN - known) > Math.max(1000, known * 0.2));
        tables.add(new TableInfo("main", t, sz[0] < 0 ? -1 : sz[0] + idx, sz[0], idx, rowsN, -1, sz[1], bloated, null,
            null, null, null, known == null ? -1 : Math.abs(rowsN - known), stale, -1, -1, -1, false, 0, 0, 0));
      }
      tables.sort((a, b) -> Long.compare(b.totalBytes(), a.totalBytes()));
      return new TableReport(name, tables, notes);
    });
  }

  @Override
  public Activity activity() {
    return new Activity(name, clock.instant(), -1, -1, false, 0, Map.of(), List.of(), List.of(), List.of(), -1, -1,
        List.of("SQLite is a file opened by the application itself: it has no server sessions, cache or replicas"));
  }

  @Override
  public List<Advice> adviseIndexes(List<QueryShape> shapes, IndexReport indexes, TableReport tables,
      List<String> notes) {
    Path shell = Path.of("/usr/bin/sqlite3");
    if (!Files.isExecutable(shell)) {
      notes.add("the sqlite3 shell is not installed (Debian: apt-get install sqlite3): SQLite index advice needs "
          + "its .expert command");
      return List.of();
    }
    Map<String, List<String>> helped = new LinkedHashMap<>();
    Map<String, String[]> found = new LinkedHashMap<>();
    Map<String, String> planBefore = new HashMap<>();
    shapes.forEach(shape -> checkStatement(shape.query()));
    for (QueryShape shape : shapes) {
      String before = with("planning a statement", c -> plan(c, shape.query()));
      if (!before.contains("SCAN ")) {
        continue;
      }
      String out = expert(shell, shape.query());
      Matcher m = EXPERT_INDEX.matcher(out);
      while (m.find()) {
        String table = m.group(2).replace("\"", "");
        String cols = m.group(3);
        String key = table + "(" + cols + ")";
        found.putIfAbsent(key, new String[] {table, cols});
        helped.computeIfAbsent(key, k -> new ArrayList<>()).add(shape.shapeId());
        planBefore.putIfAbsent(key, before);
      }
    }
    List<Advice> out = new ArrayList<>();
    for (Map.Entry<String, String[]> e : found.entrySet()) {
      String table = e.getValue()[0];
      List<String> cols = List.of(e.getValue()[1].split("\\s*,\\s*"));
      if (indexes.indexes().stream().anyMatch(i -> i.table().equals(table) && i.columns().size() >= cols.size()
          && i.columns().subList(0, cols.size()).equals(cols.stream().map(x -> x.split(" ")[0]).toList()))) {
        continue;
      }
      String idx = (table + "_" + cols.stream().map(x -> x.split(" ")[0]).collect(Collectors.joining("_")))
          .replaceAll("[^A-Za-z0-9_]", "_") + "_idx";
      String statement = "CREATE INDEX IF NOT EXISTS " + idx + " ON " + table + " (" + String.join(", ", cols) + ")";
      out.add(new Advice(DatabaseInsight.adviceId(statement), Advice.Kind.CREATE_INDEX, "main." + table, idx,
          cols.stream().map(x -> x.split(" ")[0]).toList(), statement,
          "DROP INDEX IF EXISTS " + idx, helped.get(e.getKey()), -1, -1, -1, 0, "sqlite-expert",
          "SQLite's planner (.expert) uses this index for statement(s) that now scan the table ("
              + planBefore.get(e.getKey()).strip().replaceAll("\\s+", " ") + ")"));
    }
    return out;
  }

  private String plan(Connection c, String sql) throws SQLException {
    StringBuilder b = new StringBuilder();
    try (Statement s = statement(c); ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
      while (rs.next()) {
        b.append(rs.getString(4)).append('\n');
      }
    }
    return b.toString();
  }

  /** One SQL statement, no sqlite3 shell command: what reaches the shell's stdin. */
  private static void checkStatement(String sql) {
    if (sql.contains("\n.") || sql.contains("\r.") || sql.strip().startsWith(".") || !PostgresAdvisor.single(sql)) {
      throw new IllegalArgumentException("give one SQL statement without sqlite3 shell commands, not: "
          + Jdbc.cut(sql, 80));
    }
  }

  private String expert(Path shell, String sql) {
    checkStatement(sql);
    try {
      Process p = new ProcessBuilder(shell.toString(), "-readonly", url.sqlitePath().toString())
          .redirectErrorStream(true).start();
      p.getOutputStream().write((".expert\n" + sql.strip() + (sql.strip().endsWith(";") ? "" : ";") + "\n")
          .getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readNBytes(1 << 20), StandardCharsets.UTF_8);
      if (!p.waitFor(settings.statementTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new InsightException("sqlite3 .expert on database '" + name + "' took longer than the statement "
            + "timeout");
      }
      return out;
    } catch (IOException e) {
      throw new InsightException("cannot run sqlite3 .expert for database '" + name + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InsightException("interrupted while running sqlite3 .expert for database '" + name + "'", e);
    }
  }

  @Override
  public String dropIndex(IndexInfo index) {
    return "DROP INDEX IF EXISTS \"" + index.name().replace("\"", "\"\"") + "\"";
  }

  @Override
  public String createIndex(IndexInfo index) {
    return index.definition();
  }

  @Override
  public String reindex(IndexInfo index) {
    return "REINDEX \"" + index.name().replace("\"", "\"\"") + "\"";
  }

  @Override
  public String vacuum(TableInfo table) {
    return "VACUUM";
  }

  @Override
  public String analyze(TableInfo table) {
    return "ANALYZE \"" + table.name().replace("\"", "\"\"") + "\"";
  }
}
