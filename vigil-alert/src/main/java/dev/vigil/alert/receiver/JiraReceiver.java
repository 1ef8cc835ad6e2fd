package dev.vigil.alert.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.alert.Notification;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JIRA issues (REST API v2, basic auth with a user and API token): a firing group creates an issue
 * ({@code POST /rest/api/2/issue}); the resolved notice comments and moves it through the transition
 * named {@code resolve_transition} (default "Done"), looked up with
 * {@code GET /rest/api/2/issue/{key}/transitions}.
 *
 * <p>Creation is idempotent: the issue carries the label {@code vigil-fp-<hash>} of the receiver and
 * alert group, and an unresolved issue with that label is searched with JQL
 * ({@code GET /rest/api/2/search}) before one is created, so an attempt that died between JIRA
 * creating the issue and Vigil storing its key never creates a second one.
 */
public final class JiraReceiver implements Receiver {
  /** The transition a resolved notice takes. */
  public static final String DEFAULT_TRANSITION = "Done";
  /** The issue type created. */
  public static final String DEFAULT_ISSUE_TYPE = "Bug";
  private final String name;
  private final URI base;
  private final String user;
  private final Secret token;
  private final String project;
  private final String issueType;
  private final String transition;
  private final Tickets tickets;
  private final Duration timeout;

  /** A JIRA receiver. */
  public JiraReceiver(String name, String url, String user, Secret token, String project, String issueType,
      String transition, Tickets tickets, Duration timeout) {
    this.name = name;
    this.base = Http.uri(url.replaceAll("/+$", ""), "receiver " + name + " url");
    this.user = user;
    this.token = token;
    if (project == null || !project.matches("[A-Z][A-Z0-9_]{0,49}")) {
      throw new IllegalArgumentException("receiver " + name + " project must be a JIRA project key like OPS, got " + project);
    }
    this.project = project;
    this.issueType = issueType == null ? DEFAULT_ISSUE_TYPE : issueType;
    this.transition = transition == null ? DEFAULT_TRANSITION : transition;
    this.tickets = tickets;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "jira";
  }

  @Override
  public void send(Notification n, String idempotencyKey) throws DeliveryException {
    Optional<String> open = tickets.find(name, n.groupKey());
    if (open.isEmpty()) {
      if (!n.firing()) {
        return;
      }
      String marker = Tickets.marker(name, n.groupKey());
      // an earlier attempt may have created the issue and died before its key was stored
      String jql = "project = \"" + project + "\" AND labels = \"" + marker + "\" AND statusCategory != Done "
          + "ORDER BY created ASC";
      JsonNode found = read(call("GET", "/rest/api/2/search?maxResults=1&fields=key&jql="
          + URLEncoder.encode(jql, StandardCharsets.UTF_8), null)).path("issues");
      if (found.isArray() && !found.isEmpty() && !found.get(0).path("key").asText().isEmpty()) {
        tickets.put(name, n.groupKey(), found.get(0).path("key").asText());
        return;
      }
      ObjectNode body = Json.object();
      ObjectNode f = body.putObject("fields");
      f.putObject("project").put("key", project);
      f.put("summary", SlackReceiver.truncate(n.title() + " (" + n.severity() + ")", 250));
      f.put("description", Json.text(n) + "\nvigil-notification " + idempotencyKey);
      f.putObject("issuetype").put("name", issueType);
      f.putArray("labels").add("vigil").add("severity-" + n.severity()).add(marker);
      String key = read(call("POST", "/rest/api/2/issue", body)).path("key").asText();
      if (key.isEmpty()) {
        throw new DeliveryException("JIRA answered receiver " + name + " without an issue key", false, null);
      }
      tickets.put(name, n.groupKey(), key);
      return;
    }
    String key = open.get();
    ObjectNode comment = Json.object();
    comment.put("body", Json.text(n));
    call("POST", "/rest/api/2/issue/" + key + "/comment", comment);
    if (n.firing()) {
      return;
    }
    String id = null;
    List<String> names = new java.util.ArrayList<>();
    for (JsonNode t : read(call("GET", "/rest/api/2/issue/" + key + "/transitions", null)).path("transitions")) {
      names.add(t.path("name").asText());
      if (t.path("name").asText().equalsIgnoreCase(transition)) {
        id = t.path("id").asText();
      }
    }
    if (id == null) {
      throw new DeliveryException("JIRA issue " + key + " has no transition named '" + transition + "' (it offers "
          + names + "); set resolve_transition of receiver " + name, true, null);
    }
    ObjectNode move = Json.object();
    move.putObject("transition").put("id", id);
    call("POST", "/rest/api/2/issue/" + key + "/transitions", move);
    tickets.remove(name, n.groupKey());
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
        "JIRA " + path.replaceFirst("\\?.*", "") + " of receiver " + name);
  }

  private JsonNode read(Http.Answer a) throws DeliveryException {
    try {
      return Json.MAPPER.readTree(a.body());
    } catch (IOException e) {
      throw new DeliveryException("JIRA answered receiver " + name + " with unreadable JSON", false, e);
    }
  }
}
