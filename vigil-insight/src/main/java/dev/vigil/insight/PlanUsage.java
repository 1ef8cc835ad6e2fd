package dev.vigil.insight;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The columns a PostgreSQL plan (EXPLAIN (FORMAT JSON, VERBOSE)) filters, joins and sorts on, per
 * table: the raw material of candidate indexes.
 */
final class PlanUsage {
  private static final Pattern MULTIWORD_TYPE = Pattern.compile(
      "::(timestamp|time)( with(out)? time zone)?|::character varying|::double precision|::bit varying");
  private static final Pattern CAST = Pattern.compile("::\"?[A-Za-z_][A-Za-z0-9_]*\"?(\\[\\])?");
  private static final Pattern COMPARISON = Pattern.compile(
      "^\\s*(.+?)\\s*(=|<>|<=|>=|<|>|~~\\*?|!~~\\*?)\\s*(ANY|ALL)?\\s*(.+?)\\s*$");
  private static final Pattern COLUMN = Pattern.compile("^(?:\"?([A-Za-z_][A-Za-z0-9_$]*)\"?\\.)?\"?([A-Za-z_][A-Za-z0-9_$]*)\"?$");
  private static final Pattern SPLIT = Pattern.compile("\\s+(AND|OR)\\s+");
  private static final Set<String> CONDITIONS = Set.of("Filter", "Index Cond", "Recheck Cond", "Hash Cond",
      "Merge Cond", "Join Filter");

  /** How one table is used by one statement. */
  static final class Use {
    final Set<String> equality = new LinkedHashSet<>();
    final Set<String> range = new LinkedHashSet<>();
    final List<String> sort = new ArrayList<>();
    boolean seqScan;
  }

  final Map<String, Use> tables = new LinkedHashMap<>();
  final double totalCost;
  final boolean limited;
  private final Map<String, String> aliases = new HashMap<>();
  private final Map<String, Set<String>> columns;

  /**
   * Reads {@code plan} (the root "Plan" object); {@code columns} maps {@code schema.table} to its columns.
   */
  PlanUsage(JsonNode plan, Map<String, Set<String>> columns) {
    this.columns = columns;
    this.totalCost = plan.path("Total Cost").asDouble();
    this.limited = "Limit".equals(plan.path("Node Type").asText());
    collectAliases(plan);
    walk(plan);
  }

  private void collectAliases(JsonNode node) {
    if (node.has("Relation Name")) {
      String q = node.path("Schema").asText("public") + "." + node.path("Relation Name").asText();
      aliases.put(node.path("Alias").asText(node.path("Relation Name").asText()), q);
      if (node.path("Node Type").asText().equals("Seq Scan") && columns.containsKey(q)) {
        use(q).seqScan = true;
      }
    }
    for (JsonNode child : node.path("Plans")) {
      collectAliases(child);
    }
  }

  private Use use(String table) {
    return tables.computeIfAbsent(table, t -> new Use());
  }

  private void walk(JsonNode node) {
    String own = node.has("Relation Name")
        ? node.path("Schema").asText("public") + "." + node.path("Relation Name").asText() : null;
    for (String field : CONDITIONS) {
      if (node.has(field)) {
        conditions(node.path(field).asText(), own);
      }
    }
    for (String field : List.of("Sort Key", "Presorted Key")) {
      for (JsonNode key : node.path(field)) {
        String k = key.asText().replaceAll("\\s+(DESC|ASC)?\\s*(NULLS (FIRST|LAST))?$", "")
            .replaceAll("\\s+(DESC|ASC)$", "");
        String[] ref = resolve(strip(k), own);
        if (ref != null) {
          List<String> s = use(ref[0]).sort;
          if (!s.contains(ref[1])) {
            s.add(ref[1]);
          }
        }
      }
    }
    for (JsonNode key : node.path("Group Key")) {
      String[] ref = resolve(strip(key.asText()), own);
      if (ref != null) {
        use(ref[0]).equality.add(ref[1]);
      }
    }
    for (JsonNode child : node.path("Plans")) {
      walk(child);
    }
  }

  private static String strip(String expr) {
    String e = MULTIWORD_TYPE.matcher(expr).replaceAll("");
    e = CAST.matcher(e).replaceAll("");
    return e.replace("(", " ").replace(")", " ").strip();
  }

  private void conditions(String expr, String own) {
    for (String part : SPLIT.split(strip(expr))) {
      Matcher m = COMPARISON.matcher(part);
      if (!m.matches()) {
        continue;
      }
      String op = m.group(2);
      String[] left = resolve(m.group(1), own);
      String[] right = m.group(3) == null ? resolve(m.group(4), own) : null;
      boolean eq = op.equals("=");
      boolean rangeOp = op.equals("<") || op.equals(">") || op.equals("<=") || op.equals(">=") || op.startsWith("~~");
      for (String[] side : new String[][] {left, right}) {
        if (side == null) {
          continue;
        }
        if (eq) {
          use(side[0]).equality.add(side[1]);
        } else if (rangeOp) {
          use(side[0]).range.add(side[1]);
        }
      }
    }
  }

  /** {@code [schema.table, column]} for a column reference, or {@code null}. */
  private String[] resolve(String text, String own) {
    Matcher m = COLUMN.matcher(text.strip());
    if (!m.matches()) {
      return null;
    }
    String table = m.group(1) == null ? own : aliases.get(m.group(1));
    if (table == null && m.group(1) == null && aliases.size() == 1) {
      table = aliases.values().iterator().next();
    }
    if (table == null) {
      return null;
    }
    Set<String> cols = columns.get(table);
    if (cols == null || !cols.contains(m.group(2))) {
      return null;
    }
    return new String[] {table, m.group(2)};
  }
}
