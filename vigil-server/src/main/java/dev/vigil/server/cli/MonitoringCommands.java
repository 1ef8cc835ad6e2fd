package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil status}, {@code vigil metrics}, {@code vigil processes}: host monitoring from a running server. */
public final class MonitoringCommands {
  private MonitoringCommands() {
  }

  /** {@code vigil status}: health with each breached threshold. */
  @Command(name = "status", mixinStandardHelpOptions = true, description = "Health of the host (healthy|warning|critical).")
  public static final class Status implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode health = server.get("/api/monitoring/health");
      PrintWriter out = spec.commandLine().getOut();
      JsonNode m = health.path("metrics");
      format.print(out, health, o -> o.println(health.path("status").asText() + ": cpu " + pct(m.path("cpu_percent"))
          + " ram " + pct(m.path("ram_percent")) + " disk " + pct(m.path("disk_percent"))
          + (health.path("warnings").isEmpty() ? "" : " (" + health.path("warnings").size() + " warning(s))")), o -> {
            Output.table(o, List.of("STATUS", "CPU", "RAM", "DISK", "AT"), List.of(List.of(
                health.path("status").asText().toUpperCase(Locale.ROOT), pct(m.path("cpu_percent")),
                pct(m.path("ram_percent")), pct(m.path("disk_percent")), health.path("timestamp").asText())));
            health.path("warnings").forEach(w -> o.println("! " + w.asText()));
          });
      return "critical".equals(health.path("status").asText()) ? 1 : 0;
    }
  }

  /** {@code vigil metrics}: the current host metrics. */
  @Command(name = "metrics", mixinStandardHelpOptions = true, description = "Current host metrics.")
  public static final class Metrics implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode metrics = server.get("/api/monitoring/metrics");
      PrintWriter out = spec.commandLine().getOut();
      format.print(out, metrics, o -> o.println("cpu " + pct(metrics.path("cpu_percent")) + " of "
          + metrics.path("cpu_count").asText() + " cores, ram " + pct(metrics.path("ram_percent")) + " of "
          + metrics.path("ram_total_gb").asText() + " GB, disk " + pct(metrics.path("disk_percent")) + " of "
          + metrics.path("disk_total_gb").asText() + " GB"), o -> {
            List<List<String>> rows = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> fields = metrics.fields();
            while (fields.hasNext()) {
              Map.Entry<String, JsonNode> f = fields.next();
              if (f.getValue().isValueNode()) {
                rows.add(List.of(f.getKey(), f.getValue().asText()));
              }
            }
            Output.table(o, List.of("METRIC", "VALUE"), rows);
          });
      return 0;
    }
  }

  /** {@code vigil processes --top N --sort cpu|memory}. */
  @Command(name = "processes", mixinStandardHelpOptions = true, description = "Top processes by CPU or memory.")
  public static final class Processes implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Option(names = "--top", defaultValue = "10", description = "how many (1-100)")
    int top;
    @Option(names = "--sort", defaultValue = "cpu", description = "cpu or memory")
    String sort;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if (!sort.equals("cpu") && !sort.equals("memory")) {
        throw new IllegalArgumentException("--sort must be cpu or memory");
      }
      JsonNode body = server.get("/api/monitoring/processes?top=" + top + "&sort=" + sort);
      PrintWriter out = spec.commandLine().getOut();
      JsonNode list = body.path("processes");
      format.print(out, body, o -> {
        JsonNode first = list.path(0);
        o.println(list.size() + " processes; top by " + sort + ": "
            + (first.isMissingNode() ? "-" : first.path("name").asText() + " (pid " + first.path("pid").asText()
            + ", cpu " + pct(first.path("cpu_percent")) + ", " + first.path("memory_mb").asText() + " MB)"));
      }, o -> {
        List<List<String>> rows = new ArrayList<>();
        list.forEach(p -> rows.add(List.of(p.path("pid").asText(), p.path("name").asText(),
            pct(p.path("cpu_percent")), p.path("memory_mb").asText(), pct(p.path("memory_percent")),
            p.path("status").asText(), p.path("user").asText(""))));
        Output.table(o, List.of("PID", "NAME", "CPU", "MEM_MB", "MEM", "STATUS", "USER"), rows);
      });
      return 0;
    }
  }

  static String pct(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.1f%%", n.asDouble()) : "-";
  }
}
