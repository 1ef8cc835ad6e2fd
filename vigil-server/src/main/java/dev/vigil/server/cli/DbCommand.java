package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil db list|queries|indexes|tables|activity|advise NAME}: database insight from the running
 * server, through {@code /api/db}.
 */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Insight into the application's databases.",
    subcommands = {DbCommand.ListDbs.class, DbCommand.Queries.class, DbCommand.Indexes.class, DbCommand.Tables.class,
        DbCommand.ActivityCmd.class, DbCommand.Advise.class})
public final class DbCommand extends CommandGroup {

  private static String path(String name, String what) {
    return "/api/db/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + "/" + what;
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? "-" : n.asText();
  }

  private static String num(JsonNode n, int decimals) {
    return n == null || n.isNull() || n.isMissingNode() ? "-"
        : String.format(Locale.ROOT, "%." + decimals + "f", n.asDouble());
  }

  private static String mb(JsonNode n) {
    return n.asLong() < 0 ? "-" : String.format(Locale.ROOT, "%.1f MB", n.asLong() / 1048576.0);
  }

  private static void notes(PrintWriter o, JsonNode body) {
    body.path("notes").forEach(n -> o.println("note: " + n.asText()));
  }

  /** {@code vigil db list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "The databases insight watches.")
  static final class ListDbs implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body = server.get("/api/db");
      format.print(spec.commandLine().getOut(), body, o -> o.println(body.path("databases").size() + " database(s)"),
          o -> {
            List<List<String>> rows = new ArrayList<>();
            body.path("databases").forEach(d -> rows.add(List.of(text(d.get("name")), text(d.get("engine")),
                text(d.get("location")), text(d.get("last_snapshot")), text(d.get("last_error")))));
            Output.table(o, List.of("NAME", "ENGINE", "LOCATION", "LAST SNAPSHOT", "ERROR"), rows);
          });
      return 0;
    }
  }

  /** {@code vigil db queries NAME}. */
  @Command(name = "queries", mixinStandardHelpOptions = true, description = "Query shapes over a window.")
  static final class Queries implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", description = "the database name")
    String name;
    @Option(names = "--window", defaultValue = "1h", description = "15m, 1h, 24h, 7d")
    String window;
    @Option(names = "--sort", defaultValue = "total_time", description = "total_time, mean_time, calls, rows, reads")
    String sort;
    @Option(names = "--limit", defaultValue = "20", description = "at most this many shapes")
    int limit;

    @Override
    public Integer call() {
      JsonNode body = server.get(path(name, "queries") + "?window=" + URLEncoder.encode(window, StandardCharsets.UTF_8)
          + "&sort=" + URLEncoder.encode(sort, StandardCharsets.UTF_8) + "&limit=" + limit);
      format.print(spec.commandLine().getOut(), body, o -> {
        long slow = 0;
        for (JsonNode s : body.path("shapes")) {
          slow += s.path("slow").asBoolean() ? 1 : 0;
        }
        o.println(body.path("shapes").size() + " shape(s), " + slow + " slow, over " + window);
        notes(o, body);
      }, o -> {
        List<List<String>> rows = new ArrayList<>();
        body.path("shapes").forEach(s -> rows.add(List.of(text(s.get("shape_id")), text(s.get("calls")),
            num(s.get("total_ms"), 1), num(s.get("mean_ms"), 2), text(s.get("rows")),
            s.path("slow").asBoolean() ? "SLOW" : "",
            text(s.get("query")).replaceAll("\\s+", " ").substring(0, Math.min(80,
                text(s.get("query")).replaceAll("\\s+", " ").length())))));
        Output.table(o, List.of("SHAPE", "CALLS", "TOTAL MS", "MEAN MS", "ROWS", "", "QUERY"), rows);
        notes(o, body);
      });
      return 0;
    }
  }

  /** {@code vigil db indexes NAME}. */
  @Command(name = "indexes", mixinStandardHelpOptions = true, description = "Unused, duplicate and invalid indexes.")
  static final class Indexes implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", description = "the database name")
    String name;

    @Override
    public Integer call() {
      JsonNode body = server.get(path(name, "indexes"));
      format.print(spec.commandLine().getOut(), body, o -> {
        int unused = 0;
        int dup = 0;
        int invalid = 0;
        for (JsonNode i : body.path("indexes")) {
          unused += i.path("unused").asBoolean() ? 1 : 0;
          dup += i.path("duplicate_of").isNull() && i.path("covered_by").isNull() ? 0 : 1;
          invalid += i.path("valid").asBoolean() ? 0 : 1;
        }
        o.println(body.path("indexes").size() + " index(es): " + unused + " unused, " + dup + " duplicate, "
            + invalid + " invalid");
      }, o -> {
        List<List<String>> rows = new ArrayList<>();
        body.path("indexes").forEach(i -> {
          String problem = !i.path("valid").asBoolean() ? "INVALID" : i.path("unused").asBoolean() ? "UNUSED"
              : !i.path("duplicate_of").isNull() ? "DUPLICATE of " + i.path("duplicate_of").asText()
              : !i.path("covered_by").isNull() ? "COVERED by " + i.path("covered_by").asText() : "";
          rows.add(List.of(text(i.get("table")), text(i.get("name")), mb(i.path("size_bytes")), text(i.get("scans")),
              problem));
        });
        Output.table(o, List.of("TABLE", "INDEX", "SIZE", "SCANS", "PROBLEM"), rows);
        notes(o, body);
      });
      return 0;
    }
  }

  /** {@code vigil db tables NAME}. */
  @Command(name = "tables", mixinStandardHelpOptions = true, description = "Sizes, bloat, dead rows, stale statistics.")
  static final class Tables implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", description = "the database name")
    String name;

    @Override
    public Integer call() {
      JsonNode body = server.get(path(name, "tables"));
      format.print(spec.commandLine().getOut(), body, o -> o.println(body.path("tables").size() + " table(s)"), o -> {
        List<List<String>> rows = new ArrayList<>();
        body.path("tables").forEach(t -> {
          List<String> flags = new ArrayList<>();
          if (t.path("bloated").asBoolean()) {
            flags.add("BLOATED");
          }
          if (t.path("stale_statistics").asBoolean()) {
            flags.add("STALE STATS");
          }
          if (t.path("seq_scan_heavy").asBoolean()) {
            flags.add("SEQ SCANS");
          }
          rows.add(List.of(text(t.get("schema")) + "." + text(t.get("name")), mb(t.path("total_bytes")),
              text(t.get("live_rows")), text(t.get("dead_rows")), mb(t.path("bloat_bytes")), String.join(", ", flags)));
        });
        Output.table(o, List.of("TABLE", "SIZE", "LIVE", "DEAD", "BLOAT", "PROBLEMS"), rows);
        notes(o, body);
      });
      return 0;
    }
  }

  /** {@code vigil db activity NAME}. */
  @Command(name = "activity", mixinStandardHelpOptions = true,
      description = "Connections, long and blocking sessions, replication lag, wraparound.")
  static final class ActivityCmd implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", description = "the database name")
    String name;

    @Override
    public Integer call() {
      JsonNode body = server.get(path(name, "activity"));
      format.print(spec.commandLine().getOut(), body, o -> {
        int connections = 0;
        for (JsonNode n : body.path("connections_by_state")) {
          connections += n.asInt();
        }
        o.println(connections + "/" + body.path("max_connections").asInt() + " connections, cache hit "
            + num(body.get("cache_hit_ratio"), 4) + ", " + body.path("blocking").size() + " blocking chain(s)");
      }, o -> {
        o.println("cache hit ratio: " + num(body.get("cache_hit_ratio"), 4)
            + (body.path("cache_hit_low").asBoolean() ? " (LOW)" : ""));
        o.println("connections: " + body.path("connections_by_state") + " of " + body.path("max_connections").asInt());
        o.println("wraparound: " + text(body.get("wraparound_remaining")) + " transaction ids left");
        List<List<String>> rows = new ArrayList<>();
        body.path("sessions").forEach(s -> rows.add(List.of(text(s.get("pid")), text(s.get("user")),
            text(s.get("state")), text(s.get("state_ms")), text(s.get("blocked_by")),
            text(s.get("query")).replaceAll("\\s+", " ").substring(0, Math.min(60,
                text(s.get("query")).replaceAll("\\s+", " ").length())))));
        Output.table(o, List.of("PID", "USER", "STATE", "FOR MS", "BLOCKED BY", "QUERY"), rows);
        body.path("replicas").forEach(r -> o.println("replica " + text(r.get("name")) + ": " + text(r.get("lag_bytes"))
            + " bytes, " + num(r.get("lag_seconds"), 1) + " s behind"));
        notes(o, body);
      });
      return 0;
    }
  }

  /** {@code vigil db advise NAME}. */
  @Command(name = "advise", mixinStandardHelpOptions = true, description = "Index and maintenance advice.")
  static final class Advise implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", description = "the database name")
    String name;

    @Override
    public Integer call() {
      JsonNode body = server.get(path(name, "advice"));
      format.print(spec.commandLine().getOut(), body, o -> {
        o.println(body.path("advice").size() + " piece(s) of advice");
        body.path("advice").forEach(a -> o.println(a.path("statement").asText() + ";"));
      }, o -> {
        List<List<String>> rows = new ArrayList<>();
        body.path("advice").forEach(a -> rows.add(List.of(text(a.get("kind")), text(a.get("table")),
            num(a.get("cost_before"), 1), num(a.get("cost_after"), 1), text(a.get("statement")))));
        Output.table(o, List.of("KIND", "TABLE", "COST BEFORE", "COST AFTER", "STATEMENT"), rows);
        notes(o, body);
      });
      return 0;
    }
  }
}
