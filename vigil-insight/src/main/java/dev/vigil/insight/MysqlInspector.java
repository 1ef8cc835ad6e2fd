package dev.vigil.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.backup.engine.DatabaseUrl;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * MariaDB/MySQL through {@code performance_schema} (digests, index and table I/O), the
 * {@code information_schema} catalog, the process list and InnoDB's transaction and lock-wait tables.
 * Needs {@code PROCESS} and {@code SELECT} on {@code performance_schema}; the catalog and
 * {@code EXPLAIN} also need {@code SELECT} on the application's schema. Every session runs with
 * {@code max_statement_time} (MariaDB) or {@code max_execution_time} (MySQL).
 */
final class MysqlInspector implements Inspector, Maintenance {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TABLE_REF = Pattern.compile(
      "(?i)\\b(?:FROM|JOIN)\\s+`?([A-Za-z0-9_$]+)`?(?:\\s+(?:AS\\s+)?`?([A-Za-z0-9_$]+)`?)?");
  private static final Pattern EQ = Pattern.compile("(?:`?([A-Za-z0-9_$]+)`?\\.)?`?([A-Za-z0-9_$]+)`?\\s*=\\s*");
  private static final Set<String> KEYWORDS = Set.of("WHERE", "JOIN", "ON", "ORDER", "GROUP", "LIMIT", "INNER",
      "LEFT", "RIGHT", "CROSS", "STRAIGHT_JOIN", "USING", "HAVING", "UNION", "SET", "FOR");
  private final String name;
  private final DatabaseUrl url;
  private final InsightSettings settings;
  private final Clock clock;

  MysqlInspector(String name, DatabaseUrl url, InsightSettings settings, Clock clock) {
    this.name = name;
    this.url = url;
    this.settings = settings;
    this.clock = clock;
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T with(String what, Work<T> work) {
    try (Connection c = connect()) {
      return work.run(c);
    } catch (SQLException e) {
      String hint = "";
      if (e.getErrorCode() == 1142 || e.getErrorCode() == 1227 || e.getErrorCode() == 1044) {
        hint = " (grant the monitoring user PROCESS and SELECT ON performance_schema.*; the catalog and EXPLAIN "
            + "also need SELECT ON " + url.database() + ".*)";
      } else if (timedOut(e)) {
        hint = timeoutHint();
      } else if (e.getErrorCode() == 1045) {
        hint = " (check the user and password of the database URL)";
      }
      throw new InsightException(what + " of database '" + name + "' (" + url.redacted() + ") failed: "
          + Jdbc.message(e) + hint, e);
    }
  }

  /** Whether the server ended the statement at the statement timeout (MariaDB 1969, MySQL 3024). */
  private static boolean timedOut(SQLException e) {
    return e.getErrorCode() == 1969 || e.getErrorCode() == 3024;
  }

  private String timeoutHint() {
    return " (the statement timeout of " + settings.statementTimeout().toMillis() + " ms ended it)";
  }

  private Connection connect() throws SQLException {
    Properties p = new Properties();
    if (url.user() != null) {
      p.setProperty("user", url.user());
    }
    if (url.password() != null) {
      p.setProperty("password", url.password());
    }
    long timeout = settings.statementTimeout().toMillis();
    p.setProperty("connectTimeout", Long.toString(Math.max(1000, timeout)));
    p.setProperty("socketTimeout", Long.toString(timeout + 10_000));
    Connection c = DriverManager.getConnection("jdbc:mariadb://" + url.host() + ":" + url.port() + "/"
        + url.database(), p);
    try (Statement s = c.createStatement()) {
      boolean mariadb;
      try (ResultSet rs = s.executeQuery("SELECT VERSION()")) {
        rs.next();
        mariadb = rs.getString(1).toLowerCase(Locale.ROOT).contains("mariadb");
      }
      if (mariadb) {
        s.execute(String.format(Locale.ROOT, "SET SESSION max_statement_time = %.3f", timeout / 1000.0));
      } else {
        s.execute("SET SESSION max_execution_time = " + timeout);
      }
      s.execute("SET SESSION innodb_lock_wait_timeout = 1");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void requirePerformanceSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@performance_schema")) {
      rs.next();
      if (rs.getInt(1) == 0) {
        throw new InsightException("performance_schema is OFF on database '" + name + "' (" + url.redacted()
            + "): set performance_schema = ON under [mysqld] in the server's configuration and restart it");
      }
    }
  }

  @Override
  public Counters counters() {
    return with("reading performance_schema digests", c -> {
      requirePerformanceSchema(c);
      List<Counters.Shape> shapes = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT DIGEST, DIGEST_TEXT, COUNT_STAR, SUM_TIMER_WAIT / 1e9, "
          + "SUM_ROWS_SENT + SUM_ROWS_AFFECTED, SUM_ROWS_EXAMINED FROM performance_schema.events_statements_summary_by_digest "
          + "WHERE SCHEMA_NAME = ? AND DIGEST IS NOT NULL AND DIGEST_TEXT NOT LIKE '%performance_schema%' "
          + "AND DIGEST_TEXT NOT LIKE '%information_schema%' AND DIGEST_TEXT NOT LIKE 'SET %' "
          + "AND DIGEST_TEXT NOT LIKE 'EXPLAIN %' AND DIGEST_TEXT NOT LIKE 'SHOW %' "
          + "AND DIGEST_TEXT NOT LIKE 'SELECT `VERSION` ( )%' AND DIGEST_TEXT NOT LIKE 'SELECT @@%' "
          + "AND DIGEST_TEXT NOT LIKE 'SELECT `CONNECTION_ID` ( )%'")) {
        ps.setString(1, url.database());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            shapes.add(new Counters.Shape(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDouble(4),
                rs.getLong(5), 0, 0));
          }
        }
      }
      List<Counters.Table> tables = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT OBJECT_NAME, COUNT_INSERT, COUNT_UPDATE, COUNT_DELETE "
          + "FROM performance_schema.table_io_waits_summary_by_table WHERE OBJECT_SCHEMA = ?")) {
        ps.setString(1, url.database());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            tables.add(new Counters.Table(url.database() + "." + rs.getString(1), rs.getLong(2), rs.getLong(3),
                rs.getLong(4)));
          }
        }
      }
      return new Counters(shapes, tables, null);
    });
  }

  @Override
  public IndexReport indexes() {
    return with("reading the indexes", c -> {
      List<String> notes = new ArrayList<>();
      Map<String, Long> scans = new HashMap<>();
      boolean ps = true;
      try (PreparedStatement st = c.prepareStatement("SELECT OBJECT_NAME, INDEX_NAME, COUNT_STAR FROM "
          + "performance_schema.table_io_waits_summary_by_index_usage WHERE OBJECT_SCHEMA = ? AND INDEX_NAME IS NOT NULL")) {
        st.setString(1, url.database());
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            scans.put(rs.getString(1) + "." + rs.getString(2), rs.getLong(3));
          }
        }
      } catch (SQLException e) {
        ps = false;
        notes.add("index usage is unknown: " + Jdbc.message(e));
      }
      Set<String> fks = new java.util.HashSet<>();
      try (PreparedStatement st = c.prepareStatement("SELECT TABLE_NAME, CONSTRAINT_NAME FROM "
          + "information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?")) {
        st.setString(1, url.database());
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            fks.add(rs.getString(1) + "." + rs.getString(2));
          }
        }
      }
      Map<String, List<String>> cols = new LinkedHashMap<>();
      Map<String, Boolean> unique = new HashMap<>();
      Map<String, String> type = new HashMap<>();
      try (PreparedStatement st = c.prepareStatement("SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME, NON_UNIQUE, "
          + "INDEX_TYPE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, "
          + "SEQ_IN_INDEX")) {
        st.setString(1, url.database());
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            String key = rs.getString(1) + "." + rs.getString(2);
            cols.computeIfAbsent(key, k -> new ArrayList<>()).add(rs.getString(3) == null ? "(expression)"
                : rs.getString(3));
            unique.put(key, rs.getInt(4) == 0);
            type.put(key, rs.getString(5));
          }
        }
      }
      if (cols.isEmpty()) {
        notes.add("no index is visible: grant the monitoring user SELECT ON " + url.database() + ".* to read the "
            + "catalog");
      }
      List<PostgresInspector.Row> rows = new ArrayList<>();
      for (Map.Entry<String, List<String>> e : cols.entrySet()) {
        int dot = e.getKey().indexOf('.');
        String table = e.getKey().substring(0, dot);
        String index = e.getKey().substring(dot + 1);
        boolean primary = index.equals("PRIMARY");
        boolean uq = unique.get(e.getKey());
        String def = primary ? "ALTER TABLE " + q(table) + " ADD PRIMARY KEY (" + list(e.getValue()) + ")"
            : "CREATE " + (uq ? "UNIQUE " : "") + "INDEX " + q(index) + " ON " + q(table) + " (" + list(e.getValue())
            + ")";
        long n = ps ? scans.getOrDefault(e.getKey(), 0L) : -1;
        rows.add(new PostgresInspector.Row(url.database(), table, index, def, -1, n, uq, primary || uq
            || fks.contains(e.getKey()), true, type.get(e.getKey()).toLowerCase(Locale.ROOT), e.getValue(), "", ""));
      }
      return new IndexReport(name, PostgresInspector.judge(rows), notes);
    });
  }

  private static String q(String ident) {
    return "`" + ident.replace("`", "``") + "`";
  }

  private static String list(List<String> cols) {
    return cols.stream().map(MysqlInspector::q).collect(Collectors.joining(", "));
  }

  @Override
  public TableReport tables(Map<String, double[]> rates) {
    return with("reading the tables", c -> {
      List<String> notes = new ArrayList<>();
      Map<String, Long> fullScanRows = new HashMap<>();
      try (PreparedStatement st = c.prepareStatement("SELECT OBJECT_NAME, COUNT_READ FROM "
          + "performance_schema.table_io_waits_summary_by_index_usage WHERE OBJECT_SCHEMA = ? AND INDEX_NAME IS NULL")) {
        st.setString(1, url.database());
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            fullScanRows.put(rs.getString(1), rs.getLong(2));
          }
        }
      } catch (SQLException e) {
        notes.add("full-scan reads are unknown: " + Jdbc.message(e));
      }
      Map<String, Long> indexReads = new HashMap<>();
      try (PreparedStatement st = c.prepareStatement("SELECT OBJECT_NAME, SUM(COUNT_READ) FROM "
          + "performance_schema.table_io_waits_summary_by_index_usage WHERE OBJECT_SCHEMA = ? AND INDEX_NAME IS NOT NULL "
          + "GROUP BY OBJECT_NAME")) {
        st.setString(1, url.database());
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            indexReads.put(rs.getString(1), rs.getLong(2));
          }
        }
      } catch (SQLException e) {
        // already noted above: the same table
      }
      Map<String, long[]> modified = modifiedSinceStatistics(c, notes);
      Map<String, Instant> analyzed = new HashMap<>();
      try (PreparedStatement st = c.prepareStatement("SELECT table_name, last_update FROM mysql.innodb_table_stats "
          + "WHERE database_name = ?")) {
        st.setString(1, url.database());
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            analyzed.put(rs.getString(1), Jdbc.instant(rs, 2));
          }
        }
      } catch (SQLException e) {
        notes.add("when InnoDB last gathered statistics is unknown (grant SELECT ON mysql.innodb_table_stats): "
            + Jdbc.message(e));
      }
      List<TableInfo> tables = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement("SELECT TABLE_NAME, DATA_LENGTH + INDEX_LENGTH, DATA_LENGTH, "
          + "INDEX_LENGTH, TABLE_ROWS, DATA_FREE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? "
          + "AND TABLE_TYPE = 'BASE TABLE' ORDER BY DATA_LENGTH + INDEX_LENGTH DESC")) {
        st.setString(1, url.database());
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            String t = rs.getString(1);
            long data = rs.getLong(3);
            long free = rs.getLong(6);
            long rowsN = rs.getLong(5);
            // InnoDB's DATA_FREE counts free extents of the tablespace; it is waste only past a few MB
            boolean bloated = free >= 16L << 20 && free >= data * 0.2;
            long seqRead = fullScanRows.getOrDefault(t, 0L);
            boolean heavy = rowsN >= settings.largeTableRows() && seqRead >= 10L * rowsN
                && seqRead > indexReads.getOrDefault(t, 0L);
            double[] r = rates.getOrDefault(url.database() + "." + t, new double[3]);
            // InnoDB's counter of rows changed since its statistics were last gathered, against the rows they counted
            long[] mod = modified.get(t);
            long mods = mod == null ? -1 : mod[0];
            boolean stale = mod != null && mods >= 1000 && mods > 0.2 * Math.max(mod[1], rowsN);
            tables.add(new TableInfo(url.database(), t, rs.getLong(2), data, rs.getLong(4), rowsN, -1, free, bloated,
                null, null, analyzed.get(t), null, mods, stale, -1, seqRead, indexReads.getOrDefault(t, 0L), heavy,
                r[0], r[1], r[2]));
          }
        }
      }
      notes.add("MariaDB/MySQL keep no dead-row counters: bloat is the tablespace's free space");
      return new TableReport(name, tables, notes);
    });
  }

  /**
   * Per table of this database: rows changed since InnoDB last gathered its statistics and the rows
   * those statistics counted, from {@code INNODB_SYS_TABLESTATS} (MariaDB) or {@code INNODB_TABLESTATS}
   * (MySQL 8); only tables InnoDB has open are listed. Empty, with a note, when neither can be read.
   */
  private Map<String, long[]> modifiedSinceStatistics(Connection c, List<String> notes) {
    Map<String, long[]> out = new HashMap<>();
    String prefix = url.database() + "/";
    SQLException last = null;
    for (String view : List.of("INNODB_SYS_TABLESTATS", "INNODB_TABLESTATS")) {
      try (PreparedStatement st = c.prepareStatement("SELECT NAME, MODIFIED_COUNTER, NUM_ROWS FROM information_schema."
          + view + " WHERE NAME LIKE ?")) {
        st.setString(1, prefix.replace("_", "\\_") + "%");
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1).substring(prefix.length()), new long[] {rs.getLong(2), rs.getLong(3)});
          }
        }
        return out;
      } catch (SQLException e) {
        last = e;
      }
    }
    notes.add("statistics staleness is not judged: InnoDB's modified-row counters cannot be read (grant PROCESS): "
        + Jdbc.message(last));
    return out;
  }

  @Override
  public Activity activity() {
    return with("reading the server activity", c -> {
      List<String> notes = new ArrayList<>();
      Map<String, Long> status = new HashMap<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN "
          + "('Innodb_buffer_pool_read_requests', 'Innodb_buffer_pool_reads')")) {
        while (rs.next()) {
          status.put(rs.getString(1), rs.getLong(2));
        }
      }
      long requests = status.getOrDefault("Innodb_buffer_pool_read_requests", 0L);
      double hit = requests == 0 ? -1 : 1 - status.getOrDefault("Innodb_buffer_pool_reads", 0L) / (double) requests;
      int max;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@max_connections")) {
        rs.next();
        max = rs.getInt(1);
      }
      long self;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
        rs.next();
        self = rs.getLong(1);
      }
      Map<Long, Long> trxStart = new HashMap<>();
      Map<String, Long> trxThread = new HashMap<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT trx_id, trx_mysql_thread_id, "
          + "TIMESTAMPDIFF(MICROSECOND, trx_started, NOW(6)) DIV 1000 FROM information_schema.INNODB_TRX")) {
        while (rs.next()) {
          trxThread.put(rs.getString(1), rs.getLong(2));
          trxStart.put(rs.getLong(2), rs.getLong(3));
        }
      }
      Map<Long, List<Long>> blockedBy = new HashMap<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT requesting_trx_id, blocking_trx_id "
          + "FROM information_schema.INNODB_LOCK_WAITS")) {
        while (rs.next()) {
          Long w = trxThread.get(rs.getString(1));
          Long b = trxThread.get(rs.getString(2));
          if (w != null && b != null) {
            blockedBy.computeIfAbsent(w, k -> new ArrayList<>()).add(b);
          }
        }
      } catch (SQLException e) {
        notes.add("lock waits are unknown: " + Jdbc.message(e));
      }
      Map<String, Integer> byState = new LinkedHashMap<>();
      List<Session> sessions = new ArrayList<>();
      List<Activity.BlockingChain> chains = PostgresInspector.chains(blockedBy);
      Set<Long> inChains = new LinkedHashSet<>();
      chains.forEach(ch -> {
        inChains.add(ch.blocker());
        inChains.addAll(ch.waiting());
      });
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT ID, USER, COMMAND, TIME_MS, "
          + "STATE, LEFT(INFO, 500) FROM information_schema.PROCESSLIST WHERE COMMAND NOT IN ('Daemon', 'Binlog Dump') "
          + "AND USER <> 'system user'")) {
        while (rs.next()) {
          long id = rs.getLong(1);
          if (id == self) {
            continue;
          }
          String command = rs.getString(3);
          Long tx = trxStart.get(id);
          String state = command.equals("Sleep") ? (tx != null ? "idle in transaction" : "idle") : "active";
          byState.merge(state, 1, Integer::sum);
          long ms = (long) rs.getDouble(4);
          boolean longRunning = state.equals("active") && ms >= settings.longRunning().toMillis();
          boolean idleTx = state.equals("idle in transaction") && ms >= settings.idleInTransaction().toMillis();
          List<Long> blockers = blockedBy.getOrDefault(id, List.of());
          if (longRunning || idleTx || inChains.contains(id)) {
            sessions.add(new Session(id, rs.getString(2), "", state, tx == null ? -1 : tx, ms,
                blockers.isEmpty() ? rs.getString(5) : "Lock:row lock", rs.getString(6), blockers, longRunning,
                idleTx));
          }
        }
      }
      List<Replica> replicas = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW ALL SLAVES STATUS")) {
        while (rs.next()) {
          long behind = Jdbc.longOr(rs, rs.findColumn("Seconds_Behind_Master"), -1);
          replicas.add(new Replica("this server (replica of " + rs.getString("Master_Host") + ")",
              rs.getString("Slave_SQL_Running_State"), -1, behind));
        }
      } catch (SQLException e) {
        notes.add("replication state is unknown (needs REPLICATION CLIENT / SLAVE MONITOR): " + Jdbc.message(e));
      }
      return new Activity(name, clock.instant(), hit, -1, hit >= 0 && hit < settings.cacheHitFloor(), max, byState,
          sessions, chains, replicas, -1, -1, notes);
    });
  }

  @Override
  public List<Advice> adviseIndexes(List<QueryShape> shapes, IndexReport indexes, TableReport tables,
      List<String> notes) {
    return with("advising indexes", c -> {
      try (Statement s = c.createStatement()) {
        s.execute("SET SESSION TRANSACTION READ ONLY");
      }
      Map<String, Long> rows = new HashMap<>();
      Map<String, Double> writes = new HashMap<>();
      tables.tables().forEach(t -> {
        rows.put(t.name(), t.liveRows());
        writes.put(t.name(), t.insertsPerSecond() + t.updatesPerSecond() + t.deletesPerSecond());
      });
      Map<String, List<String>> candidates = new LinkedHashMap<>();
      Map<String, List<QueryShape>> helped = new LinkedHashMap<>();
      Map<String, Double> before = new HashMap<>();
      for (QueryShape shape : shapes) {
        String text = shape.query();
        if (!text.stripLeading().toUpperCase(Locale.ROOT).startsWith("SELECT")
            || !PostgresAdvisor.single(text)) {
          continue;
        }
        Map<String, String> aliases = aliases(text);
        JsonNode plan;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN FORMAT=JSON "
            + placeholders(text))) {
          rs.next();
          plan = JSON.readTree(rs.getString(1));
        } catch (SQLException e) {
          notes.add("shape " + shape.shapeId() + " of database '" + name + "' could not be explained: "
              + Jdbc.message(e) + (timedOut(e) ? timeoutHint() : ""));
          continue;
        } catch (IOException e) {
          notes.add("shape " + shape.shapeId() + " of database '" + name + "' could not be explained: "
              + e.getMessage());
          continue;
        }
        List<JsonNode> scans = new ArrayList<>();
        collect(plan, null, scans);
        for (JsonNode t : scans) {
          String table = aliases.getOrDefault(t.path("table_name").asText(), t.path("table_name").asText());
          if (!"ALL".equals(t.path("access_type").asText()) || rows.getOrDefault(table, 0L) < settings.largeTableRows()) {
            continue;
          }
          List<String> cols = new ArrayList<>();
          Matcher m = EQ.matcher(t.path("attached_condition").asText());
          while (m.find()) {
            String col = m.group(2);
            if (!cols.contains(col) && !col.matches("\\d+")) {
              cols.add(col);
            }
          }
          if (cols.isEmpty()) {
            continue;
          }
          cols = new ArrayList<>(cols.subList(0, Math.min(2, cols.size())));
          String sortKey = t.path("vigil_sort_key").asText("");
          for (String k : sortKey.split(",")) {
            String col = k.strip().replaceAll("(?i)\\s+(desc|asc)$", "");
            col = col.substring(col.indexOf('.') + 1);
            if (!col.isEmpty() && !cols.contains(col)) {
              cols.add(col);
            }
          }
          if (coveredBy(indexes, table, cols)) {
            continue;
          }
          String key = table + "(" + String.join(",", cols) + ")";
          candidates.putIfAbsent(key, cols);
          helped.computeIfAbsent(key, k -> new ArrayList<>()).add(shape);
          before.merge(key, shape.calls() * t.path("rows").asDouble(), Double::sum);
        }
      }
      List<Advice> out = new ArrayList<>();
      for (Map.Entry<String, List<String>> e : candidates.entrySet()) {
        String table = e.getKey().substring(0, e.getKey().indexOf('('));
        String idx = (table + "_" + String.join("_", e.getValue())).replaceAll("[^A-Za-z0-9_]", "_");
        idx = idx.substring(0, Math.min(idx.length(), 55)) + "_idx";
        String statement = "ALTER TABLE " + q(table) + " ADD INDEX " + q(idx) + " (" + list(e.getValue())
            + "), ALGORITHM=INPLACE, LOCK=NONE";
        String undo = "ALTER TABLE " + q(table) + " DROP INDEX " + q(idx) + ", ALGORITHM=INPLACE, LOCK=NONE";
        List<QueryShape> hs = helped.get(e.getKey());
        double calls = hs.stream().mapToDouble(QueryShape::calls).sum();
        out.add(new Advice(DatabaseInsight.adviceId(statement), Advice.Kind.CREATE_INDEX, url.database() + "." + table,
            idx, e.getValue(), statement, undo, hs.stream().map(QueryShape::shapeId).toList(),
            before.get(e.getKey()) / Math.max(1, calls), -1, -1, writes.getOrDefault(table, 0.0), "heuristic",
            "full scan of a large table filtered on these columns (costBefore: rows examined per call; MariaDB/MySQL "
                + "have no hypothetical indexes, so the gain is not costed)"));
      }
      if (!out.isEmpty()) {
        notes.add("MariaDB/MySQL suggestions come from EXPLAIN FORMAT=JSON with placeholder values and are not costed");
      }
      return out;
    });
  }

  private static boolean coveredBy(IndexReport indexes, String table, List<String> cols) {
    return indexes.indexes().stream().anyMatch(i -> i.table().equals(table) && i.columns().size() >= cols.size()
        && i.columns().subList(0, cols.size()).equals(cols));
  }

  /** Every table access in the plan; a filesort's sort key is copied onto the tables beneath it. */
  private static void collect(JsonNode node, String sortKey, List<JsonNode> out) {
    if (node.isObject()) {
      String key = node.has("filesort") ? node.path("filesort").path("sort_key").asText(null) : null;
      if (node.has("sort_key")) {
        key = node.path("sort_key").asText();
      }
      String k = key != null ? key : sortKey;
      if (node.has("table_name") && node.has("access_type")) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = ((com.fasterxml.jackson.databind.node.ObjectNode) node)
            .deepCopy();
        if (k != null) {
          copy.put("vigil_sort_key", k);
        }
        out.add(copy);
      }
      node.fields().forEachRemaining(f -> collect(f.getValue(), k, out));
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, sortKey, out));
    }
  }

  /** Alias → table from the FROM/JOIN clauses of a digest text. */
  static Map<String, String> aliases(String text) {
    Map<String, String> m = new HashMap<>();
    Matcher matcher = TABLE_REF.matcher(text);
    while (matcher.find()) {
      String table = matcher.group(1);
      m.put(table, table);
      String alias = matcher.group(2);
      if (alias != null && !KEYWORDS.contains(alias.toUpperCase(Locale.ROOT))) {
        m.put(alias, table);
      }
    }
    return m;
  }

  /** The digest text with its placeholders replaced by a value EXPLAIN accepts. */
  static String placeholders(String text) {
    return text.replaceAll("\\?\\s*(,\\s*\\.\\.\\.)?", "1 ");
  }

  @Override
  public String dropIndex(IndexInfo index) {
    return "ALTER TABLE " + q(index.table()) + " DROP INDEX " + q(index.name()) + ", ALGORITHM=INPLACE, LOCK=NONE";
  }

  @Override
  public String createIndex(IndexInfo index) {
    return "ALTER TABLE " + q(index.table()) + " ADD " + (index.unique() ? "UNIQUE " : "") + "INDEX "
        + q(index.name()) + " (" + list(index.columns()) + "), ALGORITHM=INPLACE, LOCK=NONE";
  }

  @Override
  public String reindex(IndexInfo index) {
    return "OPTIMIZE TABLE " + q(index.table());
  }

  @Override
  public String vacuum(TableInfo table) {
    return "OPTIMIZE TABLE " + q(table.name());
  }

  @Override
  public String analyze(TableInfo table) {
    return "ANALYZE TABLE " + q(table.name());
  }
}
