package dev.vigil.alert.receiver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.alert.Notification;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Microsoft Teams through a Workflows ("When a Teams webhook request is received") webhook: a
 * {@code message} with one Adaptive Card attachment (version 1.4): a title, a block per alert and a
 * fact set of the common labels. The URL carries a signature, so it is a {@link Secret}.
 */
public final class TeamsReceiver implements Receiver {
  private final String name;
  private final URI uri;
  private final Duration timeout;

  /** A Teams receiver posting to the Workflows webhook {@code url}. */
  public TeamsReceiver(String name, Secret url, Duration timeout) {
    this.name = name;
    this.uri = Http.uri(url.reveal(), "receiver " + name + " url");
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "teams";
  }

  @Override
  public void send(Notification n, String idempotencyKey) throws DeliveryException {
    Http.send("POST", uri, Map.of("Content-Type", "application/json; charset=utf-8"), Json.write(message(n)), timeout,
        "Teams workflow of receiver " + name + " (" + Http.origin(uri) + ")");
  }

  static ObjectNode message(Notification n) {
    ObjectNode root = Json.object();
    root.put("type", "message");
    ObjectNode att = root.putArray("attachments").addObject();
    att.put("contentType", "application/vnd.microsoft.card.adaptive");
    att.putNull("contentUrl");
    ObjectNode card = att.putObject("content");
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    card.put("type", "AdaptiveCard");
    card.put("version", "1.4");
    ArrayNode body = card.putArray("body");
    body.addObject().put("type", "TextBlock").put("text", n.title()).put("weight", "Bolder").put("size", "Medium")
        .put("wrap", true).put("color", n.firing() ? ("critical".equals(n.severity()) ? "Attention" : "Warning") : "Good");
    for (Notification.Item i : n.alerts()) {
      String summary = i.annotations().getOrDefault("summary", i.labels().getOrDefault("alertname", "alert"));
      body.addObject().put("type", "TextBlock").put("text", (i.resolved() ? "✅ " : "🔥 ") + summary).put("wrap", true);
      String ar = i.annotations().get("summary_ar");
      if (ar != null) {
        body.addObject().put("type", "TextBlock").put("text", ar).put("wrap", true).put("horizontalAlignment", "Right");
      }
    }
    ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
    n.commonLabels().forEach((k, v) -> facts.addObject().put("title", k).put("value", v));
    if (!n.externalUrl().isEmpty()) {
      card.putArray("actions").addObject().put("type", "Action.OpenUrl").put("title", "Open Vigil").put("url", n.externalUrl());
    }
    return root;
  }
}
