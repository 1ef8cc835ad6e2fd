package dev.vigil.alert.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.alert.Notification;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GitHub issues: a firing group opens an issue ({@code POST /repos/{owner}/{repo}/issues}); while it
 * stays open, later notices of the group are comments; the resolved notice comments and closes it
 * ({@code PATCH ... state=closed, state_reason=completed}). Uses a fine-grained token with "Issues:
 * write" ({@code Authorization: Bearer}); {@code api_url} points at GitHub Enterprise.
 *
 * <p>Opening is idempotent: the issue carries the label {@code vigil-fp-<hash>} of the receiver and
 * alert group (and the same hidden marker in its body), and an open issue with that label is looked up
 * ({@code GET /repos/{owner}/{repo}/issues?labels=}) before one is created, so an attempt that died
 * between GitHub creating the issue and Vigil storing its number never opens a second one.
 */
public final class GitHubReceiver implements Receiver {
  /** api.github.com. */
  public static final String DEFAULT_API = "https://api.github.com";
  private final String name;
  private final URI api;
  private final String repo;
  private final Secret token;
  private final List<String> labels;
  private final Tickets tickets;
  private final Duration timeout;

  /**
   * A GitHub receiver.
   *
   * @param repo {@code owner/name}
   */
  public GitHubReceiver(String name, String apiUrl, String repo, Secret token, List<String> labels, Tickets tickets,
      Duration timeout) {
    this.name = name;
    this.api = Http.uri(apiUrl == null ? DEFAULT_API : apiUrl.replaceAll("/+$", ""), "receiver " + name + " api_url");
    if (repo == null || !repo.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("receiver " + name + " repo must be owner/name, got " + repo);
    }
    this.repo = repo;
    this.token = token;
    this.labels = List.copyOf(labels == null ? List.of() : labels);
    this.tickets = tickets;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "github";
  }

  @Override
  public void send(Notification n, String idempotencyKey) throws DeliveryException {
    Optional<String> open = tickets.find(name, n.groupKey());
    if (open.isEmpty()) {
      if (!n.firing()) {
        return;
      }
      String marker = Tickets.marker(name, n.groupKey());
      // an earlier attempt may have opened the issue and died before its number was stored
      JsonNode existing = read(call("GET", "/repos/" + repo + "/issues?state=open&per_page=1&labels="
          + URLEncoder.encode(marker, StandardCharsets.UTF_8), null));
      if (existing.isArray() && !existing.isEmpty() && existing.get(0).path("number").asLong() > 0) {
        tickets.put(name, n.groupKey(), Long.toString(existing.get(0).path("number").asLong()));
        return;
      }
      ObjectNode issue = Json.object();
      issue.put("title", n.title().replaceFirst("^\\[FIRING:\\d+] ", "") + " (" + n.severity() + ")");
      issue.put("body", body(n, idempotencyKey) + "<!-- " + marker + " -->\n");
      var ls = issue.putArray("labels");
      labels.forEach(ls::add);
      ls.add(marker);
      Http.Answer a = call("POST", "/repos/" + repo + "/issues", issue);
      long number = read(a).path("number").asLong();
      if (number <= 0) {
        throw new DeliveryException("GitHub answered receiver " + name + " without an issue number", false, null);
      }
      tickets.put(name, n.groupKey(), Long.toString(number));
      return;
    }
    String number = open.get();
    ObjectNode comment = Json.object();
    comment.put("body", body(n, idempotencyKey));
    call("POST", "/repos/" + repo + "/issues/" + number + "/comments", comment);
    if (!n.firing()) {
      ObjectNode close = Json.object();
      close.put("state", "closed");
      close.put("state_reason", "completed");
      call("PATCH", "/repos/" + repo + "/issues/" + number, close);
      tickets.remove(name, n.groupKey());
    }
  }

  private Http.Answer call(String method, String path, ObjectNode body) throws DeliveryException {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Accept", "application/vnd.github+json");
    h.put("X-GitHub-Api-Version", "2022-11-28");
    h.put("Authorization", "Bearer " + token.reveal());
    if (body != null) {
      h.put("Content-Type", "application/json");
    }
    h.put("User-Agent", "Vigil");
    return Http.send(method, URI.create(api + path), h, body == null ? null : Json.write(body), timeout,
        "GitHub " + path.replaceFirst("\\?.*", "") + " of receiver " + name);
  }

  private JsonNode read(Http.Answer a) throws DeliveryException {
    try {
      return Json.MAPPER.readTree(a.body());
    } catch (IOException e) {
      throw new DeliveryException("GitHub answered receiver " + name + " with unreadable JSON", false, e);
    }
  }

  static String body(Notification n, String key) {
    StringBuilder sb = new StringBuilder();
    for (Notification.Item i : n.alerts()) {
      sb.append(i.resolved() ? "- ✅ **resolved** " : "- 🔥 **firing** ").append(i.labels().getOrDefault("alertname", ""));
      sb.append(": ").append(i.annotations().getOrDefault("summary", "")).append("\n");
      String d = i.annotations().get("description");
      if (d != null) {
        sb.append("  ").append(d).append("\n");
      }
      sb.append("  `").append(Json.labels(i.labels())).append("`\n");
    }
    if (!n.externalUrl().isEmpty()) {
      sb.append("\n[Open Vigil](").append(n.externalUrl()).append(")\n");
    }
    sb.append("\n<!-- vigil-notification ").append(key).append(" -->\n");
    return sb.toString();
  }
}
