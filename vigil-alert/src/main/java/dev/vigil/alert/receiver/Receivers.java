package dev.vigil.alert.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.alert.report.WeeklyReport;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds a receiver from its configuration ({@code type} and the type's settings). */
public final class Receivers {
  /** Ten seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private Receivers() {
  }

  /**
   * A receiver named {@code name} from {@code spec} (secrets already substituted).
   *
   * @param report the sections a Confluence report page carries after its incidents
   *
   * @throws IllegalArgumentException naming the receiver and the missing or bad setting
   */
  public static Receiver build(String name, ObjectNode spec, Tickets tickets, Clock clock, WeeklyReport report) {
    String where = "alerts.receivers." + name;
    Duration timeout = spec.hasNonNull("timeout")
        ? dev.vigil.alert.Durations.parse(spec.get("timeout").asText(), where + ".timeout") : DEFAULT_TIMEOUT;
    String type = spec.path("type").asText("");
    return switch (type) {
      case "webhook" -> new WebhookReceiver(name, required(spec, "url", where),
          spec.hasNonNull("secret") ? Secret.of(spec.get("secret").asText()) : null, timeout, clock);
      case "slack" -> new SlackReceiver(name, Secret.of(required(spec, "url", where)), timeout);
      case "teams" -> new TeamsReceiver(name, Secret.of(required(spec, "url", where)), timeout);
      case "alertmanager" -> new AlertmanagerReceiver(name, required(spec, "url", where),
          spec.hasNonNull("bearer_token") ? Secret.of(spec.get("bearer_token").asText()) : null, timeout);
      case "email" -> {
        JsonNode s = spec.path("smtp");
        EmailReceiver.Smtp smtp = new EmailReceiver.Smtp(required(s, "host", where + ".smtp"), s.path("port").asInt(587),
            s.path("username").asText(null), s.hasNonNull("password") ? Secret.of(s.get("password").asText()) : null,
            s.path("starttls").asBoolean(true), s.path("insecure_skip_verify").asBoolean(false), timeout);
        yield new EmailReceiver(name, smtp, spec.path("from").asText(null), strings(spec.path("to")));
      }
      case "github" -> new GitHubReceiver(name, spec.path("api_url").asText(null), required(spec, "repo", where),
          Secret.of(required(spec, "token", where)), strings(spec.path("labels")), tickets, timeout);
      case "jira" -> new JiraReceiver(name, required(spec, "url", where), required(spec, "user", where),
          Secret.of(required(spec, "token", where)), required(spec, "project", where), spec.path("issue_type").asText(null),
          spec.path("resolve_transition").asText(null), tickets, timeout);
      case "confluence" -> new ConfluenceReceiver(name, required(spec, "url", where), required(spec, "user", where),
          Secret.of(required(spec, "token", where)), required(spec, "space", where), spec.path("title_prefix").asText(null),
          clock, timeout, report);
      default -> throw new IllegalArgumentException(where + ".type is not a receiver type: " + type);
    };
  }

  private static String required(JsonNode spec, String field, String where) {
    String v = spec.path(field).asText("");
    if (v.isBlank()) {
      throw new IllegalArgumentException(where + "." + field + " is required");
    }
    return v;
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n.isTextual()) {
      out.add(n.asText());
    }
    for (JsonNode s : n) {
      out.add(s.asText());
    }
    return out;
  }
}
