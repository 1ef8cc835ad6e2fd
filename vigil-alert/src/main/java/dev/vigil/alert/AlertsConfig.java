package dev.vigil.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.vigil.alert.receiver.Secret;
import dev.vigil.alert.route.InhibitRule;
import dev.vigil.alert.route.Matcher;
import dev.vigil.alert.route.Route;
import dev.vigil.alert.rule.BuiltInRules;
import dev.vigil.alert.rule.Op;
import dev.vigil.alert.rule.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code alerts} section of {@code vigil.yml}, read like Alertmanager's and Prometheus'
 * configuration: {@code receivers}, {@code route}, {@code inhibit_rules}, {@code rules},
 * {@code builtin} ({@code enabled}, {@code disabled: [names]}), {@code evaluation_interval},
 * {@code external_url}. {@code ${NAME}} in receiver settings is replaced from the environment.
 *
 * @param evaluationInterval how often rules are evaluated
 * @param externalUrl the dashboard URL put in notifications
 * @param rules the rules in force (built-in ones first)
 * @param route the routing tree, or {@code null} when no receiver is configured (alerts are only listed)
 * @param inhibitRules inhibition rules
 * @param receivers receiver settings by name, secrets substituted
 */
public record AlertsConfig(Duration evaluationInterval, String externalUrl, List<Rule> rules, Route route,
    List<InhibitRule> inhibitRules, Map<String, ObjectNode> receivers) {
  /** One second. */
  public static final Duration DEFAULT_EVALUATION_INTERVAL = Duration.ofSeconds(1);
  /** The receiver type names. */
  public static final Set<String> RECEIVER_TYPES = Set.of("webhook", "email", "slack", "teams", "alertmanager", "github",
      "jira", "confluence");

  /** Validates: every receiver the route names exists. */
  public AlertsConfig {
    rules = List.copyOf(rules);
    inhibitRules = List.copyOf(inhibitRules);
    receivers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(receivers));
    for (String r : route == null ? List.<String>of() : route.receivers()) {
      if (!receivers.containsKey(r)) {
        throw new IllegalArgumentException("alerts.route names receiver " + r + ", which is not in alerts.receivers "
            + receivers.keySet());
      }
    }
  }

  /** This configuration with {@code extra} rules after its own (e.g. the probe and SLO rules). */
  public AlertsConfig withRules(List<Rule> extra) {
    List<Rule> all = new ArrayList<>(rules);
    Set<String> names = new HashSet<>();
    all.forEach(r -> names.add(r.name()));
    for (Rule r : extra) {
      if (!names.add(r.name())) {
        throw new IllegalArgumentException("alerts.rules: a rule is named " + r.name() + ", which Vigil uses for its own");
      }
      all.add(r);
    }
    return new AlertsConfig(evaluationInterval, externalUrl, all, route, inhibitRules, receivers);
  }

  /**
   * Reads the section.
   *
   * @param node the {@code alerts} node (may be null or missing: built-in rules, no receivers)
   * @param env the environment for {@code ${NAME}}
   * @throws IllegalArgumentException naming the setting that is wrong
   */
  public static AlertsConfig parse(JsonNode node, Map<String, String> env) {
    JsonNode n = node == null || node.isMissingNode() || node.isNull() ? JsonNodeFactory.instance.objectNode() : node;
    Duration interval = n.hasNonNull("evaluation_interval")
        ? Durations.parse(n.get("evaluation_interval").asText(), "alerts.evaluation_interval") : DEFAULT_EVALUATION_INTERVAL;
    if (interval.toMillis() < 100) {
      throw new IllegalArgumentException("alerts.evaluation_interval must be at least 100ms, got " + interval);
    }
    Map<String, ObjectNode> receivers = new LinkedHashMap<>();
    JsonNode rs = n.path("receivers");
    for (Iterator<Map.Entry<String, JsonNode>> it = rs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      if (!name.matches("[A-Za-z0-9._-]{1,100}")) {
        throw new IllegalArgumentException("alerts.receivers: name must be letters, digits, '.', '_' or '-': " + name);
      }
      if (!e.getValue().isObject()) {
        throw new IllegalArgumentException("alerts.receivers." + name + " must be a mapping with a type");
      }
      ObjectNode spec = (ObjectNode) substitute(e.getValue(), env, "alerts.receivers." + name);
      String type = spec.path("type").asText("");
      if (!RECEIVER_TYPES.contains(type)) {
        throw new IllegalArgumentException("alerts.receivers." + name + ".type must be one of " + RECEIVER_TYPES
            + ", got '" + type + "'");
      }
      receivers.put(name, spec);
    }
    Route route;
    if (n.has("route")) {
      route = route(n.get("route"), "alerts.route", true);
    } else if (receivers.isEmpty()) {
      route = null;
    } else {
      route = Route.root(receivers.keySet().iterator().next(), null, null, null, null, List.of());
    }
    List<InhibitRule> inhibit = new ArrayList<>();
    if (n.has("inhibit_rules")) {
      int i = 0;
      for (JsonNode r : n.get("inhibit_rules")) {
        String where = "alerts.inhibit_rules[" + i++ + "]";
        inhibit.add(new InhibitRule(matchers(r.path("source_matchers"), where + ".source_matchers"),
            matchers(r.path("target_matchers"), where + ".target_matchers"), strings(r.path("equal"))));
      }
    } else {
      inhibit.add(InhibitRule.criticalMutesWarning());
    }
    List<Rule> rules = new ArrayList<>();
    JsonNode builtin = n.path("builtin");
    if (builtin.path("enabled").asBoolean(true)) {
      Set<String> off = new HashSet<>(strings(builtin.path("disabled")));
      Set<String> known = new HashSet<>();
      for (Rule r : BuiltInRules.all()) {
        known.add(r.name());
        if (!off.contains(r.name())) {
          rules.add(r);
        }
      }
      off.removeAll(known);
      if (!off.isEmpty()) {
        throw new IllegalArgumentException("alerts.builtin.disabled names unknown built-in rules " + off);
      }
    }
    int i = 0;
    for (JsonNode r : n.path("rules")) {
      rules.add(rule(r, "alerts.rules[" + i++ + "]"));
    }
    String external = n.path("external_url").asText("");
    Set<String> names = new HashSet<>();
    for (Rule r : rules) {
      if (!names.add(r.name())) {
        throw new IllegalArgumentException("alerts.rules: two rules are named " + r.name()
            + " (a built-in rule of that name can be turned off under alerts.builtin.disabled)");
      }
    }
    return new AlertsConfig(interval, external, rules, route, inhibit, receivers);
  }

  private static Rule rule(JsonNode r, String where) {
    try {
      String kind = r.path("kind").asText("threshold").toUpperCase(Locale.ROOT);
      Rule.Kind k;
      try {
        k = Rule.Kind.valueOf(kind);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("kind must be threshold, anomaly, forecast, increase or age, got " + kind);
      }
      Map<String, String> summary = texts(r, "summary");
      Map<String, String> description = texts(r, "description");
      return new Rule(r.path("name").asText(null), k, r.path("metric").asText(null), stringMap(r.path("selector")),
          Op.parse(r.path("op").asText(k == Rule.Kind.ANOMALY ? ">" : null)),
          r.has("threshold") ? r.get("threshold").asDouble() : k == Rule.Kind.ANOMALY ? 3 : Double.NaN,
          r.hasNonNull("for") ? Durations.parse(r.get("for").asText(), "for") : Duration.ZERO,
          r.path("hysteresis").asDouble(0), r.path("severity").asText("warning"), stringMap(r.path("labels")),
          summary, description,
          r.hasNonNull("window") ? Durations.parse(r.get("window").asText(), "window") : null,
          r.hasNonNull("within") ? Durations.parse(r.get("within").asText(), "within") : null, false);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, String> texts(JsonNode r, String field) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode v = r.path(field);
    if (v.isTextual()) {
      out.put("en", v.asText());
    } else if (v.isObject()) {
      out.putAll(stringMap(v));
    }
    if (r.hasNonNull(field + "_ar")) {
      out.put("ar", r.get(field + "_ar").asText());
    }
    return out;
  }

  private static Route route(JsonNode r, String where, boolean root) {
    List<Route> kids = new ArrayList<>();
    int i = 0;
    for (JsonNode c : r.path("routes")) {
      kids.add(route(c, where + ".routes[" + i++ + "]", false));
    }
    Duration gw = r.hasNonNull("group_wait") ? Durations.parse(r.get("group_wait").asText(), where + ".group_wait") : null;
    Duration gi = r.hasNonNull("group_interval") ? Durations.parse(r.get("group_interval").asText(), where + ".group_interval") : null;
    Duration ri = r.hasNonNull("repeat_interval") ? Durations.parse(r.get("repeat_interval").asText(), where + ".repeat_interval") : null;
    List<String> groupBy = r.has("group_by") ? strings(r.get("group_by")) : null;
    String receiver = r.path("receiver").asText(null);
    if (root) {
      if (receiver == null) {
        throw new IllegalArgumentException(where + ".receiver is required");
      }
      return Route.root(receiver, groupBy, gw, gi, ri, kids);
    }
    return new Route(matchers(r.path("matchers"), where + ".matchers"), receiver, groupBy, gw, gi, ri,
        r.path("continue").asBoolean(false), kids);
  }

  private static List<Matcher> matchers(JsonNode n, String where) {
    List<Matcher> out = new ArrayList<>();
    for (JsonNode m : n) {
      try {
        out.add(Matcher.parse(m.asText()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : n) {
      out.add(s.asText());
    }
    return out;
  }

  private static Map<String, String> stringMap(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static JsonNode substitute(JsonNode n, Map<String, String> env, String where) {
    if (n.isTextual()) {
      return TextNode.valueOf(Secret.substitute(n.asText(), env, where));
    }
    if (n.isObject()) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      n.fields().forEachRemaining(e -> o.set(e.getKey(), substitute(e.getValue(), env, where + "." + e.getKey())));
      return o;
    }
    if (n.isArray()) {
      var a = JsonNodeFactory.instance.arrayNode();
      n.forEach(x -> a.add(substitute(x, env, where)));
      return a;
    }
    return n;
  }
}
