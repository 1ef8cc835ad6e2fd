package dev.vigil.server.optimizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.cli.FormatOption;
import dev.vigil.server.cli.Output;
import dev.vigil.server.cli.ServerOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil optimize}: the running server's optimizer through {@code /api/optimizer}: status,
 * metrics (before/after of applied changes), report, enable/disable, a test (dry run at the highest
 * level), a run at a level ({@code --force} ignores quiet windows, never the level; {@code --dry-run}
 * changes nothing), a rollback, the history.
 */
@Command(name = "optimize", mixinStandardHelpOptions = true,
    description = "Find and apply optimizations at a chosen level, measured and rolled back when worse.")
public final class OptimizeCommand implements Callable<Integer> {
  @Mixin
  ServerOptions server;
  @Mixin
  FormatOption format;
  @Spec
  CommandLine.Model.CommandSpec spec;
  @ArgGroup(exclusive = true, multiplicity = "1")
  What what;
  @Option(names = "--force", description = "with --level: run now even in a busy window (never raises the level)")
  boolean force;
  @Option(names = "--dry-run", description = "with --level: report what would be applied, change nothing")
  boolean dryRun;

  static final class What {
    @Option(names = "--status", description = "on/off, level, schedule, changes under observation")
    boolean status;
    @Option(names = "--metrics", description = "before/after figures and decisions of applied changes")
    boolean metrics;
    @Option(names = "--report", description = "everything proposed now, with the level that applies it")
    boolean report;
    @Option(names = "--enable", description = "turn scheduled runs on")
    boolean enable;
    @Option(names = "--disable", description = "turn scheduled runs off")
    boolean disable;
    @Option(names = "--test", description = "dry run at the highest level: what could be done")
    boolean test;
    @Option(names = "--level", paramLabel = "LEVEL", description = "run now at low|medium|high|aggressive")
    String level;
    @Option(names = "--rollback", paramLabel = "ID", description = "roll back one applied change")
    String rollback;
    @Option(names = "--history", description = "applied changes, newest first")
    boolean history;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if ((force || dryRun) && what.level == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--force and --dry-run go with --level");
    }
    if (what.status) {
      JsonNode s = server.get("/api/optimizer/status");
      format.print(out, s, o -> o.println("optimizer " + (s.path("enabled").asBoolean() ? "enabled" : "disabled")
          + " at level " + s.path("level").asText() + ", next run " + s.path("next_run").asText("-") + ", "
          + s.path("observing").size() + " change(s) under observation"), o -> keyValues(o, s));
    } else if (what.metrics || what.history) {
      JsonNode a = server.get("/api/optimizer/actions?limit=" + (what.metrics ? 1000 : 100));
      format.print(out, a, o -> o.println(a.path("actions").size() + " action(s)"), o -> actions(o, a.path("actions")));
    } else if (what.report || what.test) {
      JsonNode r = what.report ? server.get("/api/optimizer/report")
          : server.post("/api/optimizer/run", Map.of("level", "aggressive", "dry_run", true));
      JsonNode items = what.report ? r.path("proposals") : r.path("items");
      format.print(out, r, o -> o.println(items.size() + " proposal(s)"), o -> items(o, items));
    } else if (what.enable || what.disable) {
      JsonNode r = server.post(what.enable ? "/api/optimizer/enable" : "/api/optimizer/disable", Map.of());
      format.print(out, r, o -> o.println("optimizer " + (what.enable ? "enabled" : "disabled")),
          o -> o.println("optimizer " + (what.enable ? "enabled" : "disabled")));
    } else if (what.level != null) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("level", what.level);
      body.put("force", force);
      body.put("dry_run", dryRun);
      JsonNode r = server.post("/api/optimizer/run", body);
      format.print(out, r, o -> o.println(r.path("items").size() + " proposal(s) at level " + r.path("level").asText()),
          o -> items(o, r.path("items")));
    } else {
      JsonNode r = server.post("/api/optimizer/actions/" + what.rollback + "/rollback", Map.of());
      format.print(out, r, o -> o.println("rolled back " + r.path("id").asText() + ": "
          + r.path("proposal").path("target").asText()), o -> actions(o, List.of(r)));
    }
    return 0;
  }

  private static void keyValues(PrintWriter out, JsonNode s) {
    List<List<String>> rows = new ArrayList<>();
    for (String f : List.of("enabled", "level", "schedule", "next_run", "last_run")) {
      rows.add(List.of(f, s.path(f).asText("-")));
    }
    rows.add(List.of("tunings", s.path("tunings").toString()));
    rows.add(List.of("observing", Integer.toString(s.path("observing").size())));
    Output.table(out, List.of("FIELD", "VALUE"), rows);
  }

  private static void items(PrintWriter out, JsonNode items) {
    List<List<String>> rows = new ArrayList<>();
    items.forEach(i -> rows.add(List.of(i.path("outcome").asText(), i.path("proposal").path("level").asText(),
        i.path("proposal").path("family").asText(), i.path("proposal").path("target").asText(),
        i.path("note").asText(""))));
    Output.table(out, List.of("OUTCOME", "LEVEL", "FAMILY", "TARGET", "NOTE"), rows);
  }

  private static void actions(PrintWriter out, Iterable<JsonNode> actions) {
    List<List<String>> rows = new ArrayList<>();
    actions.forEach(a -> rows.add(List.of(a.path("id").asText(), a.path("status").asText(),
        a.path("proposal").path("target").asText(), a.path("before").asText("-"), a.path("after").asText("-"),
        a.path("confidence").asText("-"), a.path("decision").asText(""))));
    Output.table(out, List.of("ID", "STATUS", "TARGET", "BEFORE", "AFTER", "CONFIDENCE", "DECISION"), rows);
  }
}
