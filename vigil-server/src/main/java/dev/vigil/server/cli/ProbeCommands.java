package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code vigil probes} and {@code vigil slo}: endpoint checks and SLOs of the running server. */
public final class ProbeCommands {
  private ProbeCommands() {
  }

  private static String pct(JsonNode v) {
    return v.isNull() || v.isMissingNode() ? "-" : String.format(Locale.ROOT, "%.3f%%", v.asDouble() * 100);
  }

  /** {@code vigil probes}. */
  @Command(name = "probes", mixinStandardHelpOptions = true, description = "Endpoint checks: up, uptime, response time.")
  public static final class Probes implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body = server.get("/api/probes");
      PrintWriter out = spec.commandLine().getOut();
      format.print(out, body, o -> {
        long down = 0;
        for (JsonNode p : body.path("probes")) {
          down += p.path("last").path("up").asBoolean(true) ? 0 : 1;
        }
        o.println(body.path("probes").size() + " probes, " + down + " down");
      }, o -> {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode p : body.path("probes")) {
          JsonNode last = p.path("last");
          rows.add(List.of(p.path("probe").path("name").asText(), last.isNull() ? "-" : last.path("up").asBoolean() ? "up" : "DOWN",
              last.isNull() ? "-" : last.path("status").asText(), pct(p.path("uptime_24h")),
              p.path("avg_ms_24h").isNull() ? "-" : String.format(Locale.ROOT, "%.0f", p.path("avg_ms_24h").asDouble()),
              last.path("cert_expires_at").asText("-"), last.path("error").asText("")));
        }
        Output.table(o, List.of("PROBE", "STATE", "STATUS", "UPTIME 24H", "AVG MS", "CERT EXPIRES", "ERROR"), rows);
      });
      return 0;
    }
  }

  /** {@code vigil slo}. */
  @Command(name = "slo", mixinStandardHelpOptions = true, description = "SLOs: SLI, error budget, burn rates.")
  public static final class Slos implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body = server.get("/api/slo");
      PrintWriter out = spec.commandLine().getOut();
      format.print(out, body, o -> o.println(body.path("slos").size() + " SLOs"), o -> {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode s : body.path("slos")) {
          JsonNode b = s.path("burn_rates");
          rows.add(List.of(s.path("slo").path("name").asText(), pct(s.path("slo").path("objective")), pct(s.path("sli")),
              pct(s.path("error_budget_remaining")),
              String.format(Locale.ROOT, "%.1f/%.1f/%.1f/%.1f", b.path("5m").asDouble(), b.path("30m").asDouble(),
                  b.path("1h").asDouble(), b.path("6h").asDouble()),
              s.path("fast_burn").asBoolean() ? "FAST" : s.path("slow_burn").asBoolean() ? "slow" : "ok"));
        }
        Output.table(o, List.of("SLO", "OBJECTIVE", "SLI", "BUDGET LEFT", "BURN 5m/30m/1h/6h", "ALERT"), rows);
      });
      return 0;
    }
  }
}
