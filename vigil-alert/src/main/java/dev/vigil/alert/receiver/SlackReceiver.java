package dev.vigil.alert.receiver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.alert.Notification;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Slack through an incoming webhook, as a Block Kit message: a header with the group's title, one
 * section per alert (summary and labels), and a context line with the severity. The webhook URL
 * holds Slack's key, so it is a {@link Secret} and errors name only its host.
 */
public final class SlackReceiver implements Receiver {
  private static final int MAX_ALERT_BLOCKS = 20;
  private final String name;
  private final Secret url;
  private final URI uri;
  private final Duration timeout;

  /** A Slack receiver posting to the incoming webhook {@code url}. */
  public SlackReceiver(String name, Secret url, Duration timeout) {
    this.name = name;
    this.url = url;
    this.uri = Http.uri(url.reveal(), "receiver " + name + " url");
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "slack";
  }

  @Override
  public void send(Notification n, String idempotencyKey) throws DeliveryException {
    Http.send("POST", uri, Map.of("Content-Type", "application/json; charset=utf-8"), Json.write(message(n)), timeout,
        "Slack webhook of receiver " + name + " (" + Http.origin(uri) + ")");
  }

  static ObjectNode message(Notification n) {
    ObjectNode root = Json.object();
    root.put("text", n.title());
    ArrayNode blocks = root.putArray("blocks");
    ObjectNode header = blocks.addObject();
    header.put("type", "header");
    header.putObject("text").put("type", "plain_text").put("text", truncate(n.title(), 150)).put("emoji", true);
    int shown = 0;
    for (Notification.Item i : n.alerts()) {
      if (shown++ == MAX_ALERT_BLOCKS) {
        ObjectNode more = blocks.addObject();
        more.put("type", "section");
        more.putObject("text").put("type", "mrkdwn").put("text", "… and " + (n.alerts().size() - MAX_ALERT_BLOCKS) + " more");
        break;
      }
      ObjectNode s = blocks.addObject();
      s.put("type", "section");
      String summary = i.annotations().getOrDefault("summary", i.labels().getOrDefault("alertname", "alert"));
      String ar = i.annotations().get("summary_ar");
      s.putObject("text").put("type", "mrkdwn").put("text", truncate((i.resolved() ? ":white_check_mark: " : ":rotating_light: ")
          + "*" + escape(summary) + "*" + (ar == null ? "" : "\n" + escape(ar)) + "\n`" + escape(Json.labels(i.labels())) + "`", 3000));
    }
    ObjectNode ctx = blocks.addObject();
    ctx.put("type", "context");
    ctx.putArray("elements").addObject().put("type", "mrkdwn").put("text", "severity *" + n.severity() + "* · Vigil"
        + (n.externalUrl().isEmpty() ? "" : " · <" + n.externalUrl() + "|dashboard>"));
    return root;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  @Override
  public String toString() {
    return "slack receiver " + name + " (" + url + ")";
  }
}
