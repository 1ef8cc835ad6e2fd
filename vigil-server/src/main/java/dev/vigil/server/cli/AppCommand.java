package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil app routes|summary|purge}: the application proxy of the running server, through {@code /api/app}. */
@Command(name = "app", mixinStandardHelpOptions = true,
    description = "The application behind Vigil's proxy: route statistics, summary, cache purges.",
    subcommands = {AppCommand.Routes.class, AppCommand.Summary.class, AppCommand.Purge.class})
public final class AppCommand extends CommandGroup {

  /** {@code vigil app routes}: per route template. */
  @Command(name = "routes", mixinStandardHelpOptions = true,
      description = "Per route template: requests, error rate, p50/p95/p99, bytes, cache hit rate.")
  static final class Routes implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode answer = server.get("/api/app/routes");
      JsonNode routes = answer.path("routes");
      PrintWriter out = spec.commandLine().getOut();
      format.print(out, answer, o -> o.println(routes.size() + " route(s)"), o -> {
        List<List<String>> rows = new ArrayList<>();
        routes.forEach(r -> rows.add(List.of(r.path("route").asText(), r.path("count").asText(),
            pct(r.path("error_rate").asDouble()), r.path("p50_ms").asText(), r.path("p95_ms").asText(),
            r.path("p99_ms").asText(), r.path("bytes").asText(), pct(r.path("cache_hit_rate").asDouble()))));
        Output.table(o, List.of("ROUTE", "COUNT", "ERRORS", "P50_MS", "P95_MS", "P99_MS", "BYTES", "CACHE_HITS"), rows);
      });
      return 0;
    }
  }

  /** {@code vigil app summary}: upstream up or down, totals. */
  @Command(name = "summary", mixinStandardHelpOptions = true, description = "Upstream up/down, totals, limits.")
  static final class Summary implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode s = server.get("/api/app/summary");
      PrintWriter out = spec.commandLine().getOut();
      format.print(out, s, o -> o.println(s.path("upstream").asText() + " is " + (s.path("upstream_up").asBoolean()
          ? "up" : "DOWN (" + s.path("last_error").asText() + ")") + "; " + s.path("requests").asText()
          + " requests, " + pct(s.path("error_rate").asDouble()) + " errors, cache hit rate "
          + pct(s.path("cache_hit_rate").asDouble())), o -> {
            List<List<String>> rows = new ArrayList<>();
            s.fields().forEachRemaining(f -> {
              if (!f.getKey().equals("cache_rules")) {
                rows.add(List.of(f.getKey(), f.getValue().asText()));
              }
            });
            // one row per cache rule in force, saying whether the configuration or the optimizer added it
            for (JsonNode r : s.path("cache_rules")) {
              rows.add(List.of("cache_rule", r.path("path").asText() + " ttl " + r.path("ttl_seconds").asText() + " s, "
                  + (r.path("source").asText().equals("runtime") ? "added by " + r.path("added_by").asText() + " at "
                  + r.path("added_at").asText() : "from the configuration")));
            }
            Output.table(o, List.of("FIELD", "VALUE"), rows);
          });
      return 0;
    }
  }

  /** {@code vigil app purge --prefix P | --tag T | --route R | --all}. */
  @Command(name = "purge", mixinStandardHelpOptions = true,
      description = "Purge cached application responses by path prefix, rule tag or route template.")
  static final class Purge implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Option(names = "--prefix", paramLabel = "P", description = "responses whose path starts with P")
    String prefix;
    @Option(names = "--tag", paramLabel = "T", description = "responses stored under rule tag T")
    String tag;
    @Option(names = "--route", paramLabel = "R", description = "responses of route template R, e.g. /api/projects/{id}")
    String route;
    @Option(names = "--all", description = "every cached application response")
    boolean all;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      if (prefix != null) {
        body.put("prefix", prefix);
      }
      if (tag != null) {
        body.put("tag", tag);
      }
      if (route != null) {
        body.put("route", route);
      }
      if (all) {
        body.put("all", true);
      }
      if (body.size() != 1) {
        throw new IllegalArgumentException("give exactly one of --prefix, --tag, --route or --all");
      }
      JsonNode answer = server.post("/api/app/cache/purge", body);
      PrintWriter out = spec.commandLine().getOut();
      format.print(out, answer, o -> o.println("Purged " + answer.path("removed").asText() + " cached response(s) by "
          + answer.path("by").asText() + (answer.path("value").asText().isEmpty() ? "" : " '"
          + answer.path("value").asText() + "'")), o -> Output.table(o, List.of("BY", "VALUE", "REMOVED"),
          List.of(List.of(answer.path("by").asText(), answer.path("value").asText(), answer.path("removed").asText()))));
      return 0;
    }
  }

  private static String pct(double ratio) {
    return String.format("%.1f%%", ratio * 100);
  }
}
