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

/** {@code vigil alerts list|rules|silences|silence|unsilence|test}: the running server's alerts, through {@code /api/alerts}. */
@Command(name = "alerts", mixinStandardHelpOptions = true, description = "Alerts, rules, silences and test notifications.",
    subcommands = {AlertsCommand.ListAlerts.class, AlertsCommand.Rules.class, AlertsCommand.Silences.class,
        AlertsCommand.Silence.class, AlertsCommand.Unsilence.class, AlertsCommand.Test.class})
public final class AlertsCommand extends CommandGroup {

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code vigil alerts list}: pending and firing alerts. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Pending and firing alerts.")
  static final class ListAlerts implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body = server.get("/api/alerts");
      PrintWriter out = spec.commandLine().getOut();
      format.print(out, body, o -> o.println(body.path("firing").asText() + " firing, " + body.path("pending").asText()
          + " pending, " + body.path("silenced").asText() + " silenced"), o -> {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode v : body.path("alerts")) {
              JsonNode a = v.path("alert");
              String muted = v.path("silenced").asBoolean() ? "silenced" : v.path("inhibited").asBoolean() ? "inhibited" : "";
              rows.add(List.of(a.path("state").asText(), a.path("labels").path("alertname").asText(),
                  a.path("labels").path("severity").asText(), a.path("active_at").asText(),
                  a.path("annotations").path("summary").asText(), muted));
            }
            Output.table(o, List.of("STATE", "ALERT", "SEVERITY", "SINCE", "SUMMARY", "MUTED"), rows);
          });
      return 0;
    }
  }

  /** {@code vigil alerts rules}: the rules in force. */
  @Command(name = "rules", mixinStandardHelpOptions = true, description = "The alert rules in force.")
  static final class Rules implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body = server.get("/api/alerts/rules");
      PrintWriter out = spec.commandLine().getOut();
      format.print(out, body, o -> o.println(body.path("rules").size() + " rules"), o -> {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : body.path("rules")) {
          rows.add(List.of(r.path("name").asText(), r.path("kind").asText(), r.path("metric").asText(),
              r.path("op").asText() + " " + r.path("threshold").asText(), r.path("for").asText(),
              r.path("severity").asText(), r.path("built_in").asBoolean() ? "yes" : ""));
        }
        Output.table(o, List.of("NAME", "KIND", "METRIC", "CONDITION", "FOR", "SEVERITY", "BUILT-IN"), rows);
      });
      return 0;
    }
  }

  /** {@code vigil alerts silences}: every silence with its state. */
  @Command(name = "silences", mixinStandardHelpOptions = true, description = "Silences and their state.")
  static final class Silences implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body = server.get("/api/alerts/silences");
      PrintWriter out = spec.commandLine().getOut();
      format.print(out, body, o -> o.println(body.path("silences").size() + " silences"), o -> {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode s : body.path("silences")) {
          List<String> ms = new ArrayList<>();
          s.path("matchers").forEach(m -> ms.add(m.asText()));
          rows.add(List.of(s.path("id").asText(), s.path("state").asText(), String.join(",", ms),
              s.path("ends_at").asText(), s.path("created_by").asText(), s.path("comment").asText()));
        }
        Output.table(o, List.of("ID", "STATE", "MATCHERS", "ENDS", "BY", "COMMENT"), rows);
      });
      return 0;
    }
  }

  /** {@code vigil alerts silence --matcher 'alertname="HighCpu"' --duration 2h --comment "..."}. */
  @Command(name = "silence", mixinStandardHelpOptions = true, description = "Silence alerts matching every --matcher.")
  static final class Silence implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Option(names = {"-m", "--matcher"}, required = true, paramLabel = "M",
        description = "a matcher like alertname=\"HighCpu\" (= != =~ !~); repeatable")
    List<String> matchers;
    @Option(names = "--duration", defaultValue = "2h", description = "how long, e.g. 30m, 2h, 1d (default 2h)")
    String duration;
    @Option(names = "--comment", required = true, description = "why")
    String comment;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("matchers", matchers);
      body.put("duration", duration);
      body.put("comment", comment);
      JsonNode s = server.post("/api/alerts/silences", body);
      spec.commandLine().getOut().println("silence " + s.path("id").asText() + " until " + s.path("ends_at").asText());
      return 0;
    }
  }

  /** {@code vigil alerts unsilence ID}. */
  @Command(name = "unsilence", mixinStandardHelpOptions = true, description = "Expire a silence now.")
  static final class Unsilence implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Parameters(paramLabel = "ID", description = "the silence id")
    String id;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      server.delete("/api/alerts/silences/" + encode(id));
      spec.commandLine().getOut().println("silence " + id + " expired");
      return 0;
    }
  }

  /** {@code vigil alerts test RECEIVER}. */
  @Command(name = "test", mixinStandardHelpOptions = true, description = "Queue a test notification to a receiver.")
  static final class Test implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Parameters(paramLabel = "RECEIVER", description = "the receiver name in alerts.receivers")
    String receiver;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode r = server.post("/api/alerts/test/" + encode(receiver), Map.of());
      spec.commandLine().getOut().println("queued test notification " + r.path("key").asText() + " to " + receiver
          + "; see vigil alerts list and GET /api/alerts/notifications");
      return 0;
    }
  }
}
