package dev.vigil.insight;

import dev.vigil.backup.engine.DatabaseUrl;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * PostgreSQL through the statistics views a {@code pg_monitor} member may read. Every statement
 * carries the {@code /* vigil-insight * /} marker (so its own statements are left out of the shapes)
 * and runs under the session's {@code statement_timeout}.
 */
final class PostgresInspector implements Inspector, Maintenance {
  static final String MARK = "/* vigil-insight */ ";
  private static final long XID_LIMIT = 2_147_483_647L;
  private final String name;
  private final DatabaseUrl url;
  private final InsightSettings settings;
  private final Clock clock;

  PostgresInspector(String name, DatabaseUrl url, InsightSettings settings, Clock clock) {
    this.name = name;
    this.url = url;
    this.settings = settings;
    this.clock = clock;
  }

  /** Work on one connection. */
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  <T> T with(String what, Work<T> work) {
    try (Connection c = connect()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new InsightException(describe(what, e), e);
    }
  }

  String describe(String what, SQLException e) {
    String m = Jdbc.message(e);
    String hint = "";
    if ("57014".equals(e.getSQLState())) {
      hint = " (the statement timeout of " + settings.statementTimeout().toMillis() + " ms ended it)";
    } else if ("55P03".equals(e.getSQLState())) {
      hint = " (the lock timeout of " + lockTimeoutMs() + " ms ended it: another session holds a lock on a table "
          + "this statement reads)";
    } else if ("42501".equals(e.getSQLState())) {
      hint = " (grant the monitoring user pg_monitor: GRANT pg_monitor TO <user>)";
    } else if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
      hint = " (is the server up and reachable?)";
    } else if ("28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState())) {
      hint = " (check the user and password of the database URL)";
    }
    return what + " of database '" + name + "' (" + url.redacted() + ") failed: " + m + hint;
  }

  Connection connect() throws SQLException {
    Properties p = new Properties();
    p.putAll(url.params());
    if (url.user() != null) {
      p.setProperty("user", url.user());
    }
    if (url.password() != null) {
      p.setProperty("password", url.password());
    }
    long timeout = settings.statementTimeout().toMillis();
    p.setProperty("options", "-c statement_timeout=" + timeout + " -c lock_timeout=" + lockTimeoutMs()
        + " -c idle_in_transaction_session_timeout=" + Math.max(60_000, timeout * 2));
    p.setProperty("ApplicationName", "vigil-insight");
    p.setProperty("connectTimeout", Long.toString(Math.max(1, timeout / 1000)));
    p.setProperty("socketTimeout", Long.toString(timeout / 1000 + 10));
    p.setProperty("assumeMinServerVersion", "12");
    String jdbc = "jdbc:postgresql://" + (url.host().contains(":") ? "[" + url.host() + "]" : url.host()) + ":"
        + url.port() + "/" + url.database();
    return DriverManager.getConnection(jdbc, p);
  }

  /** How long a statement waits for a lock: the statement timeout, at most one second. */
  private long lockTimeoutMs() {
    return Math.min(settings.statementTimeout().toMillis(), 1000);
  }

  static String setting(Connection c, String key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(MARK + "SELECT current_setting(?, true)")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  static boolean hasExtension(Connection c, String ext) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(MARK + "SELECT 1 FROM pg_extension WHERE extname = ?")) {
      ps.setString(1, ext);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Why pg_stat_statements cannot be read, or {@code null} when it can. */
  String statementsMissing(Connection c) throws SQLException {
    if (hasExtension(c, "pg_stat_statements")) {
      return null;
    }
    String preload = setting(c, "shared_preload_libraries");
    if (preload == null || !preload.contains("pg_stat_statements")) {
      return notPreloaded(false);
    }
    return "pg_stat_statements is loaded but not created in database " + url.database() + ": run "
        + "CREATE EXTENSION pg_stat_statements there as a superuser (or the database owner)";
  }

  /** What to do when the library is not preloaded; {@code created}: the extension exists already. */
  private String notPreloaded(boolean created) {
    return "pg_stat_statements is not in shared_preload_libraries of database '" + name + "': add "
        + "shared_preload_libraries = 'pg_stat_statements' to postgresql.conf, restart PostgreSQL"
        + (created ? " (the extension is created in database " + url.database() + " but its library is not loaded)"
            : ", then run CREATE EXTENSION pg_stat_statements in database " + url.database() + " as a superuser");
  }

  @Override
  public Counters counters() {
    return with("reading pg_stat_statements", c -> {
      String missing = statementsMissing(c);
      if (missing != null) {
        throw new InsightException(missing);
      }
      List<Counters.Shape> shapes = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(MARK
          + "SELECT queryid::text, min(query), sum(calls)::bigint, sum(total_exec_time), sum(rows)::bigint, "
          + "sum(shared_blks_hit)::bigint, sum(shared_blks_read)::bigint FROM pg_stat_statements "
          + "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND queryid IS NOT NULL "
          + "AND query NOT LIKE '/* vigil-insight */%' AND query <> '<insufficient privilege>' GROUP BY queryid")) {
        while (rs.next()) {
          shapes.add(new Counters.Shape(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDouble(4),
              rs.getLong(5), rs.getLong(6), rs.getLong(7)));
        }
      } catch (SQLException e) {
        // the extension was created, but the server was started without its library
        if ("55000".equals(e.getSQLState()) && Jdbc.message(e).contains("shared_preload_libraries")) {
          throw new InsightException(notPreloaded(true), e);
        }
        throw e;
      }
      String reset = null;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(MARK + "SELECT stats_reset::text FROM pg_stat_statements_info")) {
        if (rs.next()) {
          reset = rs.getString(1);
        }
      }
      List<Counters.Table> tables = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(MARK
          + "SELECT schemaname || '.' || relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables")) {
        while (rs.next()) {
          tables.add(new Counters.Table(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        }
      }
      return new Counters(shapes, tables, reset);
    });
  }

  @Override
  public IndexReport indexes() {
    return with("reading the indexes", c -> {
      List<Row> rows = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(MARK
          + "SELECT n.nspname, t.relname, i.relname, pg_get_indexdef(ix.indexrelid), pg_relation_size(ix.indexrelid), "
          + "COALESCE(st.idx_scan, 0), ix.indisunique, "
          + "EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ix.indexrelid AND k.contype IN ('p','u','x')), "
          + "ix.indisvalid, am.amname, ARRAY(SELECT COALESCE(a.attname::text, '(expression)') FROM "
          + "unnest(ix.indkey[0:ix.indnkeyatts - 1]) WITH ORDINALITY k(attnum, ord) LEFT JOIN pg_attribute a "
          + "ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.ord), "
          + "COALESCE(pg_get_expr(ix.indpred, ix.indrelid), ''), COALESCE(pg_get_expr(ix.indexprs, ix.indrelid), ''), "
          + "ix.indexrelid, "
          // each key column with its operator class, collation and ordering: what makes two keys interchangeable
          + "ARRAY(SELECT COALESCE(a.attname::text, '(expression)') || ' ' || ix.indclass[(k.ord - 1)::int]::text "
          + "|| ' ' || ix.indcollation[(k.ord - 1)::int]::text || ' ' || ix.indoption[(k.ord - 1)::int]::text "
          + "FROM unnest(ix.indkey[0:ix.indnkeyatts - 1]) WITH ORDINALITY k(attnum, ord) LEFT JOIN pg_attribute a "
          + "ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.ord), "
          + "ARRAY(SELECT a.attname::text FROM unnest(ix.indkey[ix.indnkeyatts:ix.indnatts - 1]) k(attnum) "
          + "JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum) "
          + "FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid "
          + "JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = i.relam "
          + "LEFT JOIN pg_stat_user_indexes st ON st.indexrelid = ix.indexrelid "
          + "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
          + "ORDER BY n.nspname, t.relname, ix.indexrelid")) {
        while (rs.next()) {
          List<String> cols = strings(rs.getArray(11));
          rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
              rs.getLong(6), rs.getBoolean(7), rs.getBoolean(8), rs.getBoolean(9), rs.getString(10), cols,
              strings(rs.getArray(15)), strings(rs.getArray(16)), rs.getString(12), rs.getString(13)));
        }
      }
      return new IndexReport(name, judge(rows), List.of());
    });
  }

  private static List<String> strings(Array a) throws SQLException {
    return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
  }

  /**
   * A raw index row.
   *
   * @param cols key column names, for display
   * @param keys key columns as compared: two indexes serve the same lookups and orders only when their keys
   *     agree in column, operator class, collation and ordering
   * @param include non-key columns ({@code INCLUDE})
   */
  record Row(String schema, String table, String name, String def, long size, long scans, boolean unique,
      boolean constraint, boolean valid, String am, List<String> cols, List<String> keys, List<String> include,
      String predicate, String exprs) {
    /** A row compared by column names alone, with no included columns. */
    Row(String schema, String table, String name, String def, long size, long scans, boolean unique,
        boolean constraint, boolean valid, String am, List<String> cols, String predicate, String exprs) {
      this(schema, table, name, def, size, scans, unique, constraint, valid, am, cols, cols, List.of(), predicate,
          exprs);
    }

    boolean sameShape(Row o) {
      return schema.equals(o.schema) && table.equals(o.table) && am.equals(o.am) && predicate.equals(o.predicate)
          && exprs.equals(o.exprs);
    }

    /**
     * Whether {@code o} serves every lookup this plain btree index serves: this one's keys lead
     * {@code o}'s, and {@code o} holds this one's included columns too (so no index-only scan is lost).
     */
    boolean coveredBy(Row o) {
      if (!am.equals("btree") || unique || constraint || !exprs.isEmpty() || o.keys.size() < keys.size()
          || !o.keys.subList(0, keys.size()).equals(keys)) {
        return false;
      }
      Set<String> has = new HashSet<>(o.cols);
      has.addAll(o.include);
      return has.containsAll(include);
    }
  }

  /**
   * Marks duplicates (same keys and included columns) and prefix-covered btree indexes; a covered
   * index names the widest index covering it, the one that stays when the others go.
   */
  static List<IndexInfo> judge(List<Row> rows) {
    List<IndexInfo> out = new ArrayList<>();
    for (Row r : rows) {
      String dup = null;
      Row cover = null;
      for (Row o : rows) {
        if (o == r || !r.sameShape(o) || !o.valid) {
          continue;
        }
        if (o.keys.equals(r.keys) && new HashSet<>(o.include).equals(new HashSet<>(r.include))) {
          if (keepFirst(o, r, rows)) {
            dup = o.name;
            break;
          }
          continue;
        }
        if (r.coveredBy(o) && (cover == null || o.keys.size() + o.include.size()
            > cover.keys.size() + cover.include.size())) {
          cover = o;
        }
      }
      out.add(new IndexInfo(r.schema, r.table, r.name, r.def, r.cols, r.size, r.scans, r.unique, r.constraint,
          r.valid, false, dup, dup == null && cover != null ? cover.name : null));
    }
    return out;
  }

  /**
   * Of two identical indexes, whether {@code a} is the one to keep: the one backing a constraint, else
   * the unique one, else the one the planner uses (more scans), else the older.
   */
  static boolean keepFirst(Row a, Row b, List<Row> rows) {
    if (a.constraint != b.constraint) {
      return a.constraint;
    }
    if (a.unique != b.unique) {
      return a.unique;
    }
    if (a.scans != b.scans) {
      return a.scans > b.scans;
    }
    return rows.indexOf(a) < rows.indexOf(b);
  }

  @Override
  public TableReport tables(Map<String, double[]> rates) {
    return with("reading the tables", c -> {
      List<String> notes = new ArrayList<>();
      Map<String, Long> widths = new HashMap<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(MARK
          + "SELECT schemaname || '.' || tablename, sum(avg_width)::bigint FROM pg_stats "
          + "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') GROUP BY 1")) {
        while (rs.next()) {
          widths.put(rs.getString(1), rs.getLong(2));
        }
      }
      long statsAge;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(MARK
          + "SELECT extract(epoch FROM now() - COALESCE(stats_reset, pg_postmaster_start_time()))::bigint "
          + "FROM pg_stat_database WHERE datname = current_database()")) {
        statsAge = rs.next() ? Math.max(1, rs.getLong(1)) : 1;
      }
      List<TableInfo> tables = new ArrayList<>();
      boolean anyDeadOnly = false;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(MARK
          + "SELECT st.schemaname, st.relname, pg_total_relation_size(st.relid), pg_relation_size(st.relid), "
          + "pg_indexes_size(st.relid), st.n_live_tup, st.n_dead_tup, st.last_vacuum, st.last_autovacuum, "
          + "st.last_analyze, st.last_autoanalyze, st.n_mod_since_analyze, COALESCE(st.seq_scan, 0), "
          + "COALESCE(st.seq_tup_read, 0), COALESCE(st.idx_scan, 0), c.reltuples::bigint, c.relpages, "
          + "st.n_tup_ins, st.n_tup_upd, st.n_tup_del, "
          + "COALESCE((SELECT option_value::int FROM pg_options_to_table(c.reloptions) WHERE option_name = 'fillfactor'), 100) "
          + "FROM pg_stat_user_tables st JOIN pg_class c ON c.oid = st.relid "
          + "ORDER BY pg_total_relation_size(st.relid) DESC")) {
        while (rs.next()) {
          String q = rs.getString(1) + "." + rs.getString(2);
          long tableBytes = rs.getLong(4);
          long live = rs.getLong(6);
          long dead = rs.getLong(7);
          long mods = rs.getLong(12);
          long reltuples = rs.getLong(16);
          int fill = rs.getInt(21);
          long bloat;
          Long width = widths.get(q);
          long byDead = live + dead == 0 ? 0 : (long) (tableBytes * (dead / (double) (live + dead)));
          if (width != null && reltuples > 0) {
            // heap tuple header 23 bytes + item pointer 4, rounded to 8; pages hold (8192 - 24) * fillfactor bytes
            long tuple = ((23 + width + 7) / 8) * 8 + 4;
            long expectedPages = (long) Math.ceil(reltuples * tuple / ((8192 - 24) * fill / 100.0));
            bloat = Math.max(byDead, Math.max(0, tableBytes - expectedPages * 8192));
          } else {
            bloat = byDead;
            anyDeadOnly |= tableBytes > 0;
          }
          boolean bloated = bloat >= 1_048_576 && bloat >= tableBytes * 0.2;
          long basis = Math.max(reltuples, live);
          boolean stale = mods >= 1000 && mods > 0.2 * basis
              || (rs.getTimestamp(10) == null && rs.getTimestamp(11) == null && live >= settings.largeTableRows());
          long seq = rs.getLong(13);
          long seqRead = rs.getLong(14);
          boolean heavy = live >= settings.largeTableRows() && seq >= 10 && seqRead / Math.max(1, seq)
              >= settings.largeTableRows() / 2;
          double[] r = rates.get(q);
          if (r == null) {
            r = new double[] {rs.getLong(18) / (double) statsAge, rs.getLong(19) / (double) statsAge,
                rs.getLong(20) / (double) statsAge};
          }
          tables.add(new TableInfo(rs.getString(1), rs.getString(2), rs.getLong(3), tableBytes, rs.getLong(5), live,
              dead, bloat, bloated, Jdbc.instant(rs, 8), Jdbc.instant(rs, 9), Jdbc.instant(rs, 10),
              Jdbc.instant(rs, 11), mods, stale, seq, seqRead, rs.getLong(15), heavy, r[0], r[1], r[2]));
        }
      }
      if (anyDeadOnly) {
        notes.add("bloat of some tables is estimated from dead rows only: the monitoring user cannot read their "
            + "column statistics (pg_stats); grant SELECT on them (or pg_read_all_data) for a width-based estimate");
      }
      return new TableReport(name, tables, notes);
    });
  }

  @Override
  public Activity activity() {
    return with("reading the server activity", c -> {
      Instant at = clock.instant();
      List<String> notes = new ArrayList<>();
      double tableHit = -1;
      double indexHit = -1;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(MARK
          + "SELECT sum(heap_blks_hit)::float8 / nullif(sum(heap_blks_hit) + sum(heap_blks_read), 0), "
          + "sum(idx_blks_hit)::float8 / nullif(sum(idx_blks_hit) + sum(idx_blks_read), 0) FROM pg_statio_user_tables")) {
        if (rs.next()) {
          tableHit = Jdbc.doubleOr(rs, 1, -1);
          indexHit = Jdbc.doubleOr(rs, 2, -1);
        }
      }
      int max = Integer.parseInt(setting(c, "max_connections"));
      Map<String, Integer> byState = new LinkedHashMap<>();
      List<Session> sessions = new ArrayList<>();
      Map<Long, List<Long>> blockedBy = new HashMap<>();
      long longMs = settings.longRunning().toMillis();
      long idleMs = settings.idleInTransaction().toMillis();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(MARK
          + "SELECT pid, usename, application_name, COALESCE(state, 'unknown'), "
          + "(extract(epoch FROM now() - xact_start) * 1000)::bigint, "
          + "(extract(epoch FROM now() - state_change) * 1000)::bigint, "
          + "CASE WHEN wait_event IS NULL THEN NULL ELSE wait_event_type || ':' || wait_event END, "
          + "left(query, 500), pg_blocking_pids(pid), datname = current_database() "
          + "FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
        while (rs.next()) {
          String state = rs.getString(4);
          byState.merge(state, 1, Integer::sum);
          long pid = rs.getLong(1);
          List<Long> blockers = new ArrayList<>();
          Array arr = rs.getArray(9);
          if (arr != null) {
            for (Integer b : (Integer[]) arr.getArray()) {
              blockers.add(b.longValue());
            }
          }
          long txMs = Jdbc.longOr(rs, 5, -1);
          long stateMs = Jdbc.longOr(rs, 6, 0);
          boolean longRunning = "active".equals(state) && stateMs >= longMs;
          boolean idleInTx = state.startsWith("idle in transaction") && stateMs >= idleMs;
          if (!blockers.isEmpty()) {
            blockedBy.put(pid, blockers);
          }
          sessions.add(new Session(pid, rs.getString(2), rs.getString(3) == null ? "" : rs.getString(3), state, txMs,
              stateMs, rs.getString(7), rs.getString(8), blockers, longRunning, idleInTx));
        }
      }
      List<Activity.BlockingChain> chains = chains(blockedBy);
      List<Long> inChains = new ArrayList<>();
      chains.forEach(ch -> {
        inChains.add(ch.blocker());
        inChains.addAll(ch.waiting());
      });
      sessions.removeIf(s -> !s.longRunning() && !s.idleInTransaction() && !inChains.contains(s.pid()));
      List<Replica> replicas = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(MARK
          + "SELECT COALESCE(NULLIF(application_name, ''), client_addr::text, 'replica ' || pid), state, "
          + "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint, extract(epoch FROM replay_lag) "
          + "FROM pg_stat_replication WHERE NOT pg_is_in_recovery()")) {
        while (rs.next()) {
          replicas.add(new Replica(rs.getString(1), rs.getString(2), Jdbc.longOr(rs, 3, -1), Jdbc.doubleOr(rs, 4, -1)));
        }
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(MARK
          + "SELECT pg_is_in_recovery(), COALESCE(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), -1), "
          + "COALESCE(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint, -1)")) {
        if (rs.next() && rs.getBoolean(1)) {
          replicas.add(new Replica("this server (standby)", "recovery", rs.getLong(3), rs.getDouble(2)));
        }
      }
      long age = -1;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(MARK + "SELECT max(age(datfrozenxid))::bigint FROM pg_database")) {
        if (rs.next()) {
          age = rs.getLong(1);
        }
      }
      boolean low = tableHit >= 0 && tableHit < settings.cacheHitFloor();
      if (tableHit < 0) {
        notes.add("no table reads counted yet: the cache hit ratio is unknown");
      }
      return new Activity(name, at, tableHit, indexHit, low, max, byState, sessions, chains, replicas, age,
          age < 0 ? -1 : XID_LIMIT - age, notes);
    });
  }

  /** Turns "pid waits for pids" into chains headed by sessions that wait for no one. */
  static List<Activity.BlockingChain> chains(Map<Long, List<Long>> blockedBy) {
    Map<Long, List<Long>> blocks = new LinkedHashMap<>();
    blockedBy.forEach((waiter, blockers) -> blockers.forEach(b -> blocks.computeIfAbsent(b, k -> new ArrayList<>())
        .add(waiter)));
    List<Activity.BlockingChain> out = new ArrayList<>();
    for (Long root : blocks.keySet()) {
      if (blockedBy.containsKey(root)) {
        continue;
      }
      List<Long> waiting = new ArrayList<>();
      List<Long> todo = new ArrayList<>(blocks.get(root));
      while (!todo.isEmpty()) {
        Long w = todo.remove(0);
        if (waiting.contains(w) || w.equals(root)) {
          continue;
        }
        waiting.add(w);
        todo.addAll(blocks.getOrDefault(w, List.of()));
      }
      out.add(new Activity.BlockingChain(root, waiting));
    }
    return out;
  }

  @Override
  public List<Advice> adviseIndexes(List<QueryShape> shapes, IndexReport indexes, TableReport tables,
      List<String> notes) {
    return with("advising indexes", c -> new PostgresAdvisor(name, url.database(), settings, c)
        .advise(shapes, indexes, tables, notes));
  }

  @Override
  public String dropIndex(IndexInfo index) {
    return "DROP INDEX CONCURRENTLY IF EXISTS " + Jdbc.ident(index.schema()) + "." + Jdbc.ident(index.name());
  }

  @Override
  public String createIndex(IndexInfo index) {
    return index.definition().replaceFirst("^CREATE (UNIQUE )?INDEX ", "CREATE $1INDEX CONCURRENTLY ");
  }

  @Override
  public String reindex(IndexInfo index) {
    return "REINDEX INDEX CONCURRENTLY " + Jdbc.ident(index.schema()) + "." + Jdbc.ident(index.name());
  }

  @Override
  public String vacuum(TableInfo table) {
    return "VACUUM (ANALYZE) " + Jdbc.ident(table.schema()) + "." + Jdbc.ident(table.name());
  }

  @Override
  public String analyze(TableInfo table) {
    return "ANALYZE " + Jdbc.ident(table.schema()) + "." + Jdbc.ident(table.name());
  }
}
