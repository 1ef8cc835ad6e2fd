package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil cache stats|clear|keys|delete}: the running server's cache, through {@code /api/cache}. */
@Command(name = "cache", mixinStandardHelpOptions = true, description = "Inspect and clear the server's cache.",
    subcommands = {CacheCommand.Stats.class, CacheCommand.Clear.class, CacheCommand.Keys.class,
        CacheCommand.Delete.class})
public final class CacheCommand extends CommandGroup {

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code vigil cache stats}: hits, misses, hit rate and keys, per level and per namespace. */
  @Command(name = "stats", mixinStandardHelpOptions = true, description = "Hits, misses, hit rate, keys, per level.")
  static final class Stats implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode stats = server.get("/api/cache/stats");
      PrintWriter out = spec.commandLine().getOut();
      format.print(out, stats, o -> o.println(stats.path("cache_type").asText() + (stats.path("degraded").asBoolean()
          ? " (degraded: Redis unreachable)" : "") + ": " + stats.path("total_keys").asText() + " keys, hit rate "
          + stats.path("hit_rate").asText() + "% (" + stats.path("hits").asText() + " of "
          + stats.path("total_requests").asText() + " requests)"), o -> table(o, stats));
      return 0;
    }

    private static void table(PrintWriter out, JsonNode stats) {
      List<List<String>> rows = new ArrayList<>();
      for (String field : List.of("cache_type", "total_keys", "hits", "misses", "total_requests", "hit_rate",
          "degraded", "evictions")) {
        rows.add(List.of(field, stats.path(field).asText()));
      }
      rows.add(List.of("loads", stats.path("loads").path("count").asText("-")));
      Output.table(out, List.of("STAT", "VALUE"), rows);
      out.println();
      List<List<String>> levels = new ArrayList<>();
      stats.path("levels").fields().forEachRemaining(l -> levels.add(List.of(l.getKey(),
          l.getValue().path("hits").asText(), l.getValue().path("misses").asText(),
          l.getValue().path("keys").asText())));
      Output.table(out, List.of("LEVEL", "HITS", "MISSES", "KEYS"), levels);
      if (!stats.path("namespaces").isEmpty()) {
        out.println();
        List<List<String>> namespaces = new ArrayList<>();
        stats.path("namespaces").fields().forEachRemaining(n -> namespaces.add(List.of(n.getKey(),
            n.getValue().path("hits").asText(), n.getValue().path("misses").asText())));
        Output.table(out, List.of("NAMESPACE", "HITS", "MISSES"), namespaces);
      }
    }
  }

  /** {@code vigil cache clear [--prefix P | --tag T]}: everything, or one prefix's or tag's keys. */
  @Command(name = "clear", mixinStandardHelpOptions = true,
      description = "Clear the whole cache, or only the keys of a prefix or a tag.")
  static final class Clear implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Option(names = "--prefix", paramLabel = "P", description = "only keys starting with P")
    String prefix;
    @Option(names = "--tag", paramLabel = "T", description = "only keys stored with tag T")
    String tag;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if (prefix != null && tag != null) {
        throw new IllegalArgumentException("give either --prefix or --tag, not both");
      }
      Map<String, String> body = new LinkedHashMap<>();
      if (prefix != null) {
        body.put("prefix", prefix);
      }
      if (tag != null) {
        body.put("tag", tag);
      }
      JsonNode answer = server.post("/api/cache/clear", body);
      PrintWriter out = spec.commandLine().getOut();
      String scope = prefix != null ? "prefix '" + prefix + "'" : tag != null ? "tag '" + tag + "'" : "all keys";
      String removed = answer.has("removed") ? answer.path("removed").asText() : "all";
      format.print(out, answer, o -> o.println(answer.path("message").asText() + " (" + scope + ", removed " + removed
          + ")"), o -> Output.table(o, List.of("SCOPE", "REMOVED", "MESSAGE"),
          List.of(List.of(scope, removed, answer.path("message").asText()))));
      return 0;
    }
  }

  /** {@code vigil cache keys [--prefix P] [--limit N] [--cursor C]}: one page of key names. */
  @Command(name = "keys", mixinStandardHelpOptions = true, description = "List cache keys by prefix, a page at a time.")
  static final class Keys implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Option(names = "--prefix", paramLabel = "P", defaultValue = "", description = "only keys starting with P")
    String prefix;
    @Option(names = "--limit", defaultValue = "100", description = "keys per page (1-1000)")
    int limit;
    @Option(names = "--cursor", paramLabel = "C", description = "the next cursor a previous page printed")
    String cursor;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode page = server.get("/api/cache/keys?prefix=" + encode(prefix) + "&limit=" + limit
          + (cursor == null ? "" : "&cursor=" + encode(cursor)));
      PrintWriter out = spec.commandLine().getOut();
      JsonNode next = page.path("next_cursor");
      format.print(out, page, o -> o.println(page.path("keys").size() + " keys" + (prefix.isEmpty() ? ""
          : " starting with '" + prefix + "'") + (next.isNull() ? "" : "; more with --cursor " + next.asText())), o -> {
            List<List<String>> rows = new ArrayList<>();
            page.path("keys").forEach(k -> rows.add(List.of(k.asText())));
            Output.table(o, List.of("KEY"), rows);
            if (!next.isNull()) {
              o.println("more: --cursor " + next.asText());
            }
          });
      return 0;
    }
  }

  /** {@code vigil cache delete KEY}: one key, on every level and node. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete one cache key.")
  static final class Delete implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Parameters(paramLabel = "KEY", description = "the key, as 'vigil cache keys' prints it")
    String key;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      server.delete("/api/cache/keys/" + encode(key));
      spec.commandLine().getOut().println("Deleted cache key " + key);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
