package dev.vigil.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The PostgreSQL index advisor: generic plans of the top shapes (a prepared statement under
 * {@code plan_cache_mode = force_generic_plan}, since PostgreSQL 15 has no {@code EXPLAIN (GENERIC_PLAN)}),
 * candidate indexes from their filters, joins, sort and group keys, each costed with a HypoPG
 * hypothetical index; a candidate is kept when it cuts the plan cost of the shapes it serves by the
 * configured share, and candidates are chosen greedily by calls-weighted saving so that one index
 * serving several shapes wins over several serving one each. Without HypoPG it falls back to plan
 * heuristics and says so.
 */
final class PostgresAdvisor {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PARAM = Pattern.compile("\\$(\\d+)");
  private static final Pattern READ_ONLY = Pattern.compile("^\\s*(select|with)\\b", Pattern.CASE_INSENSITIVE);
  private static final int MAX_CANDIDATES = 80;
  private final String name;
  private final String database;
  private final InsightSettings settings;
  private final Connection c;
  private int prepared;

  PostgresAdvisor(String name, String database, InsightSettings settings, Connection c) {
    this.name = name;
    this.database = database;
    this.settings = settings;
    this.c = c;
  }

  /** One shape the advisor examines. */
  private record Examined(QueryShape shape, PlanUsage usage) {
  }

  /** A candidate index and what it did to the shapes it touches. */
  private static final class Candidate {
    final String table;
    final List<String> cols;
    final Map<String, Double> after = new HashMap<>();
    long sizeBytes = -1;

    Candidate(String table, List<String> cols) {
      this.table = table;
      this.cols = List.copyOf(cols);
    }

    String key() {
      return table + "(" + String.join(",", cols) + ")";
    }
  }

  List<Advice> advise(List<QueryShape> shapes, IndexReport indexes, TableReport tables, List<String> notes)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(PostgresInspector.MARK + "SET plan_cache_mode = force_generic_plan");
      // planning only: nothing the advisor runs may write, whatever a statement's text says
      s.execute(PostgresInspector.MARK + "SET default_transaction_read_only = on");
    }
    Map<String, Set<String>> columns = columns();
    List<Examined> examined = new ArrayList<>();
    int failed = 0;
    String firstFailure = null;
    for (QueryShape shape : shapes) {
      if (!single(shape.query()) || !READ_ONLY.matcher(stripComments(shape.query())).find()
          || shape.query().contains("pg_catalog.")
          || shape.query().contains(PostgresInspector.MARK.strip())) {
        continue;
      }
      try {
        JsonNode plan = plan(shape.query());
        PlanUsage usage = new PlanUsage(plan, columns);
        if (!usage.tables.isEmpty()) {
          examined.add(new Examined(shape, usage));
        }
      } catch (SQLException e) {
        failed++;
        if (firstFailure == null) {
          firstFailure = "shape " + shape.shapeId() + ": " + Jdbc.message(e);
        }
      }
    }
    if (failed > 0) {
      notes.add(failed + " shape(s) could not be planned and were skipped (first: " + firstFailure + "); the "
          + "advisor needs SELECT on the tables (e.g. GRANT pg_read_all_data)");
    }
    Map<String, Long> rows = new HashMap<>();
    Map<String, Double> writes = new HashMap<>();
    for (TableInfo t : tables.tables()) {
      rows.put(t.qualifiedName(), t.liveRows());
      writes.put(t.qualifiedName(), t.insertsPerSecond() + t.updatesPerSecond() + t.deletesPerSecond());
    }
    Set<String> names = indexes.indexes().stream().map(IndexInfo::qualifiedName).collect(Collectors.toSet());
    List<Candidate> candidates = candidates(examined, indexes);
    boolean hypopg = PostgresInspector.hasExtension(c, "hypopg");
    if (!hypopg) {
      notes.add(hypopgMissing());
      return heuristic(examined, candidates, rows, writes, names);
    }
    for (Candidate cand : candidates) {
      cost(cand, examined);
    }
    return choose(examined, candidates, writes, names);
  }

  private String hypopgMissing() throws SQLException {
    boolean available;
    try (PreparedStatement ps = c.prepareStatement(PostgresInspector.MARK
        + "SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg'"); ResultSet rs = ps.executeQuery()) {
      available = rs.next();
    }
    return "HypoPG is not " + (available ? "created in database " + database + " (run CREATE EXTENSION hypopg there as "
        + "a superuser)" : "installed on the server (Debian: apt-get install postgresql-15-hypopg, then CREATE "
        + "EXTENSION hypopg in database " + database + ")") + ": index suggestions for '" + name + "' come from plan "
        + "heuristics and are not costed";
  }

  private Map<String, Set<String>> columns() throws SQLException {
    Map<String, Set<String>> m = new HashMap<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(PostgresInspector.MARK
        + "SELECT n.nspname || '.' || t.relname, a.attname FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid "
        + "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE t.relkind IN ('r', 'p', 'm') AND a.attnum > 0 "
        + "AND NOT a.attisdropped AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        + "AND n.nspname NOT LIKE 'pg_toast%'")) {
      while (rs.next()) {
        m.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
      }
    }
    return m;
  }

  /** The generic plan of {@code query} (re-prepared each time, so hypothetical indexes are seen). */
  private JsonNode plan(String query) throws SQLException {
    String stmt = "vigil_advise_" + (prepared++);
    int params = 0;
    Matcher m = PARAM.matcher(query);
    while (m.find()) {
      params = Math.max(params, Integer.parseInt(m.group(1)));
    }
    try (Statement s = c.createStatement()) {
      s.execute("PREPARE " + stmt + " AS " + query);
      try {
        String args = params == 0 ? "" : "(" + String.join(", ", java.util.Collections.nCopies(params, "NULL")) + ")";
        try (ResultSet rs = s.executeQuery(PostgresInspector.MARK + "EXPLAIN (FORMAT JSON, VERBOSE) EXECUTE " + stmt
            + args)) {
          rs.next();
          try {
            return JSON.readTree(rs.getString(1)).get(0).get("Plan");
          } catch (java.io.IOException e) {
            throw new SQLException("unreadable plan: " + e.getMessage(), e);
          }
        }
      } finally {
        s.execute("DEALLOCATE " + stmt);
      }
    }
  }

  /** One statement only: a text with a ';' before its end is never prepared. */
  static boolean single(String q) {
    return !stripComments(q).strip().replaceAll(";\\s*$", "").contains(";");
  }

  private static String stripComments(String q) {
    return q.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\n]*", " ");
  }

  /** Candidate column lists per table, minus what an existing index already leads with. */
  private List<Candidate> candidates(List<Examined> examined, IndexReport indexes) {
    Map<String, Candidate> out = new LinkedHashMap<>();
    for (Examined e : examined) {
      for (Map.Entry<String, PlanUsage.Use> t : e.usage().tables.entrySet()) {
        PlanUsage.Use u = t.getValue();
        List<String> eq = new ArrayList<>(u.equality);
        List<List<String>> lists = new ArrayList<>();
        eq.forEach(col -> lists.add(List.of(col)));
        u.range.forEach(col -> lists.add(List.of(col)));
        if (eq.size() > 1) {
          lists.add(eq.subList(0, Math.min(3, eq.size())));
        }
        for (String r : u.range) {
          if (!eq.isEmpty() && !eq.contains(r)) {
            List<String> l = new ArrayList<>(eq.subList(0, Math.min(2, eq.size())));
            l.add(r);
            lists.add(l);
          }
        }
        if (!u.sort.isEmpty()) {
          lists.add(u.sort);
          if (!eq.isEmpty()) {
            List<String> l = new ArrayList<>(eq.subList(0, Math.min(2, eq.size())));
            u.sort.stream().filter(s -> !l.contains(s)).forEach(l::add);
            lists.add(l);
          }
        }
        for (List<String> cols : lists) {
          Candidate cand = new Candidate(t.getKey(), new ArrayList<>(new LinkedHashSet<>(cols)));
          if (!covered(cand, indexes)) {
            out.putIfAbsent(cand.key(), cand);
          }
        }
      }
    }
    return out.values().stream().limit(MAX_CANDIDATES).toList();
  }

  /** Whether a valid plain btree index on the table starts with the candidate's columns. */
  static boolean covered(Candidate cand, IndexReport indexes) {
    for (IndexInfo i : indexes.indexes()) {
      if (!(i.schema() + "." + i.table()).equals(cand.table) || !i.valid()
          || !i.definition().contains("USING btree") || i.definition().contains(" WHERE ")) {
        continue;
      }
      if (i.columns().size() >= cand.cols.size() && i.columns().subList(0, cand.cols.size()).equals(cand.cols)) {
        return true;
      }
    }
    return false;
  }

  /** Plans every shape touching the candidate's table with the candidate as a hypothetical index. */
  private void cost(Candidate cand, List<Examined> examined) throws SQLException {
    String ddl = "CREATE INDEX ON " + qualified(cand.table) + " ("
        + cand.cols.stream().map(Jdbc::ident).collect(Collectors.joining(", ")) + ")";
    long oid;
    String indexName;
    try (PreparedStatement ps = c.prepareStatement(PostgresInspector.MARK
        + "SELECT indexrelid, indexname FROM hypopg_create_index(?)")) {
      ps.setString(1, ddl);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        oid = rs.getLong(1);
        indexName = rs.getString(2);
      }
    }
    try {
      try (PreparedStatement ps = c.prepareStatement(PostgresInspector.MARK + "SELECT hypopg_relation_size(?)")) {
        ps.setLong(1, oid);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            cand.sizeBytes = rs.getLong(1);
          }
        }
      }
      for (Examined e : examined) {
        if (!e.usage().tables.containsKey(cand.table)) {
          continue;
        }
        JsonNode plan;
        try {
          plan = plan(e.shape().query());
        } catch (SQLException ex) {
          continue;
        }
        if (plan.toString().contains(indexName)) {
          cand.after.put(e.shape().shapeId(), plan.path("Total Cost").asDouble());
        }
      }
    } finally {
      try (PreparedStatement ps = c.prepareStatement(PostgresInspector.MARK + "SELECT hypopg_drop_index(?)")) {
        ps.setLong(1, oid);
        ps.execute();
      }
    }
  }

  /** Greedy choice by calls-weighted saving over the shapes not yet served. */
  private List<Advice> choose(List<Examined> examined, List<Candidate> candidates, Map<String, Double> writes,
      Set<String> existingNames) {
    Map<String, Examined> byId = new HashMap<>();
    examined.forEach(e -> byId.put(e.shape().shapeId(), e));
    Set<String> served = new HashSet<>();
    List<Advice> out = new ArrayList<>();
    Set<String> names = new HashSet<>(existingNames);
    while (true) {
      Candidate best = null;
      double bestSaving = 0;
      List<String> bestHelped = List.of();
      for (Candidate cand : candidates) {
        double saving = 0;
        List<String> helped = new ArrayList<>();
        for (Map.Entry<String, Double> a : cand.after.entrySet()) {
          Examined e = byId.get(a.getKey());
          double before = e.usage().totalCost;
          if (served.contains(a.getKey()) || a.getValue() > before * (1 - settings.minCostReduction())) {
            continue;
          }
          saving += e.shape().calls() * (before - a.getValue());
          helped.add(a.getKey());
        }
        boolean better = saving > bestSaving * 1.02
            || (best != null && saving >= bestSaving * 0.98 && cand.cols.size() < best.cols.size());
        if (!helped.isEmpty() && better) {
          best = cand;
          bestSaving = saving;
          bestHelped = helped;
        }
      }
      if (best == null) {
        break;
      }
      served.addAll(bestHelped);
      double calls = 0;
      double before = 0;
      double after = 0;
      for (String id : bestHelped) {
        Examined e = byId.get(id);
        calls += e.shape().calls();
        before += e.shape().calls() * e.usage().totalCost;
        after += e.shape().calls() * best.after.get(id);
      }
      double b = before / Math.max(1, calls);
      double a = after / Math.max(1, calls);
      out.add(create(best, bestHelped, b, a, writes, names, "hypopg",
          String.format(Locale.ROOT, "a hypothetical index cuts the planner's cost of %d shape(s) from %.1f to %.1f "
              + "(-%.0f%%, weighted by calls)", bestHelped.size(), b, a, 100 * (1 - a / Math.max(b, 1e-9)))));
    }
    return out;
  }

  /** Without HypoPG: sequential scans of large tables filtered by equality get an index on those columns. */
  private List<Advice> heuristic(List<Examined> examined, List<Candidate> candidates, Map<String, Long> rows,
      Map<String, Double> writes, Set<String> existingNames) {
    Map<String, List<Examined>> helped = new LinkedHashMap<>();
    Map<String, Candidate> byKey = new HashMap<>();
    candidates.forEach(cand -> byKey.put(cand.key(), cand));
    for (Examined e : examined) {
      for (Map.Entry<String, PlanUsage.Use> t : e.usage().tables.entrySet()) {
        PlanUsage.Use u = t.getValue();
        if (!u.seqScan || u.equality.isEmpty() || rows.getOrDefault(t.getKey(), 0L) < settings.largeTableRows()) {
          continue;
        }
        List<String> cols = new ArrayList<>(u.equality).subList(0, Math.min(2, u.equality.size()));
        List<String> withSort = new ArrayList<>(cols);
        u.sort.stream().filter(s -> !withSort.contains(s)).forEach(withSort::add);
        String key = t.getKey() + "(" + String.join(",", withSort) + ")";
        if (byKey.containsKey(key)) {
          helped.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        }
      }
    }
    List<Advice> out = new ArrayList<>();
    Set<String> names = new HashSet<>(existingNames);
    helped.forEach((key, shapes) -> {
      double calls = shapes.stream().mapToDouble(e -> e.shape().calls()).sum();
      double before = shapes.stream().mapToDouble(e -> e.shape().calls() * e.usage().totalCost).sum()
          / Math.max(1, calls);
      out.add(create(byKey.get(key), shapes.stream().map(e -> e.shape().shapeId()).toList(), before, -1, writes, names,
          "heuristic", "sequential scan of a large table filtered on these columns (not costed: no HypoPG)"));
    });
    return out;
  }

  private Advice create(Candidate cand, List<String> shapeIds, double before, double after,
      Map<String, Double> writes, Set<String> names, String method, String reason) {
    String schema = cand.table.substring(0, cand.table.indexOf('.'));
    String table = cand.table.substring(cand.table.indexOf('.') + 1);
    String base = (table + "_" + String.join("_", cand.cols)).replaceAll("[^A-Za-z0-9_]", "_");
    base = base.substring(0, Math.min(base.length(), 55)) + "_idx";
    String idx = base;
    for (int n = 2; names.contains(schema + "." + idx); n++) {
      idx = base + n;
    }
    names.add(schema + "." + idx);
    String statement = "CREATE INDEX CONCURRENTLY " + Jdbc.ident(idx) + " ON " + qualified(cand.table) + " ("
        + cand.cols.stream().map(Jdbc::ident).collect(Collectors.joining(", ")) + ")";
    String undo = "DROP INDEX CONCURRENTLY IF EXISTS " + Jdbc.ident(schema) + "." + Jdbc.ident(idx);
    return new Advice(DatabaseInsight.adviceId(statement), Advice.Kind.CREATE_INDEX, cand.table, idx, cand.cols,
        statement, undo,
        shapeIds, before, after, cand.sizeBytes, writes.getOrDefault(cand.table, 0.0), method, reason);
  }

  private static String qualified(String table) {
    int dot = table.indexOf('.');
    return Jdbc.ident(table.substring(0, dot)) + "." + Jdbc.ident(table.substring(dot + 1));
  }

  static Comparator<Advice> order() {
    return Comparator.comparing(Advice::kind).thenComparing(Advice::table);
  }
}
