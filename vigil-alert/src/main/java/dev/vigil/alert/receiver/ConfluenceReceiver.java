package dev.vigil.alert.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.alert.Notification;
import dev.vigil.alert.report.WeeklyReport;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A weekly report page in Confluence (REST API {@code /rest/api/content}, basic auth with a user and
 * API token): the page "{@code title_prefix} YYYY-Www" in {@code space} is created with the week's first
 * notification, and each later notification appends a row to its incident table (a new version of the
 * page). After the incidents come the {@link WeeklyReport} sections (the server adds SLO budgets,
 * backups and optimizer actions), rendered anew for the week so far at each update. The page body is
 * Confluence storage format (XHTML).
 */
public final class ConfluenceReceiver implements Receiver {
  /** The page title prefix. */
  public static final String DEFAULT_TITLE_PREFIX = "Vigil weekly report";
  private static final String TABLE_END = "</tbody></table>";
  /** Where the incident table ends and the regenerated sections begin. */
  private static final String SECTIONS = "<!-- vigil-sections -->";
  private final String name;
  private final URI base;
  private final String user;
  private final Secret token;
  private final String space;
  private final String titlePrefix;
  private final Clock clock;
  private final Duration timeout;
  private final WeeklyReport report;

  /**
   * A Confluence receiver; {@code url} is the wiki base, e.g. {@code https://example.atlassian.net/wiki}.
   *
   * @param report the sections after the incident table, rendered anew at each update
   */
  public ConfluenceReceiver(String name, String url, String user, Secret token, String space, String titlePrefix,
      Clock clock, Duration timeout, WeeklyReport report) {
    this.name = name;
    this.base = Http.uri(url.replaceAll("/+$", ""), "receiver " + name + " url");
    this.user = user;
    this.token = token;
    if (space == null || !space.matches("[A-Za-z0-9~_-]{1,255}")) {
      throw new IllegalArgumentException("receiver " + name + " space must be a Confluence space key, got " + space);
    }
    this.space = space;
    this.titlePrefix = titlePrefix == null ? DEFAULT_TITLE_PREFIX : titlePrefix;
    this.clock = clock;
    this.timeout = timeout;
    this.report = report == null ? new WeeklyReport() : report;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "confluence";
  }

  /** The title of this week's page. */
  public String title() {
    var d = clock.instant().atZone(ZoneOffset.UTC);
    return String.format("%s %d-W%02d", titlePrefix, d.get(IsoFields.WEEK_BASED_YEAR), d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  /** The start of this week's page: Monday 00:00 UTC. */
  private Instant weekStart() {
    return clock.instant().atZone(ZoneOffset.UTC).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
        .atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private String sections() {
    return SECTIONS + report.render(weekStart(), clock.instant());
  }

  @Override
  public void send(Notification n, String idempotencyKey) throws DeliveryException {
    String title = title();
    String marker = "<!-- " + idempotencyKey + " -->";
    JsonNode found = read(call("GET", "/rest/api/content?type=page&spaceKey=" + enc(space) + "&title=" + enc(title)
        + "&expand=version,body.storage", null)).path("results");
    String rows = rows(n, marker);
    if (found.isEmpty()) {
      ObjectNode page = Json.object();
      page.put("type", "page");
      page.put("title", title);
      page.putObject("space").put("key", space);
      storage(page, "<h2>Incidents</h2><table><tbody><tr><th>Time (UTC)</th><th>Status</th><th>Alert</th><th>Severity</th>"
          + "<th>Summary</th></tr>" + rows + TABLE_END + sections());
      call("POST", "/rest/api/content", page);
      return;
    }
    JsonNode p = found.get(0);
    String body = p.path("body").path("storage").path("value").asText();
    if (body.contains(marker)) {
      return;
    }
    int cut = body.indexOf(SECTIONS);
    String incidents = cut < 0 ? body : body.substring(0, cut);
    int at = incidents.lastIndexOf(TABLE_END);
    String updated = (at < 0 ? incidents + "<table><tbody>" + rows + TABLE_END
        : incidents.substring(0, at) + rows + incidents.substring(at)) + sections();
    ObjectNode page = Json.object();
    page.put("id", p.path("id").asText());
    page.put("type", "page");
    page.put("title", title);
    page.putObject("space").put("key", space);
    page.putObject("version").put("number", p.path("version").path("number").asInt() + 1);
    storage(page, updated);
    call("PUT", "/rest/api/content/" + p.path("id").asText(), page);
  }

  private static void storage(ObjectNode page, String value) {
    page.putObject("body").putObject("storage").put("value", value).put("representation", "storage");
  }

  private String rows(Notification n, String marker) {
    StringBuilder sb = new StringBuilder();
    String now = clock.instant().toString();
    for (Notification.Item i : n.alerts()) {
      sb.append("<tr><td>").append(now).append("</td><td>").append(i.resolved() ? "resolved" : "firing")
          .append("</td><td>").append(EmailReceiver.esc(i.labels().getOrDefault("alertname", "")))
          .append("</td><td>").append(EmailReceiver.esc(i.labels().getOrDefault("severity", "")))
          .append("</td><td>").append(EmailReceiver.esc(i.annotations().getOrDefault("summary", ""))).append("</td></tr>");
    }
    return marker + sb;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private Http.Answer call(String method, String path, ObjectNode body) throws DeliveryException {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Accept", "application/json");
    h.put("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + token.reveal())
        .getBytes(StandardCharsets.UTF_8)));
    if (body != null) {
      h.put("Content-Type", "application/json");
    }
    return Http.send(method, URI.create(base + path), h, body == null ? null : Json.write(body), timeout,
        "Confluence " + path.replaceFirst("\\?.*", "") + " of receiver " + name);
  }

  private JsonNode read(Http.Answer a) throws DeliveryException {
    try {
      return Json.MAPPER.readTree(a.body());
    } catch (IOException e) {
      throw new DeliveryException("Confluence answered receiver " + name + " with unreadable JSON", false, e);
    }
  }
}
