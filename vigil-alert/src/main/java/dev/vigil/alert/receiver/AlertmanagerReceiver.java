package dev.vigil.alert.receiver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.alert.Notification;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Forwards alerts to a Prometheus Alertmanager ({@code POST <url>/api/v2/alerts}), so a team that runs
 * one keeps it: firing alerts without an end (Alertmanager resolves them after its
 * {@code resolve_timeout} unless they are sent again, so route them with a {@code repeat_interval}
 * below it), resolved alerts with their end time.
 */
public final class AlertmanagerReceiver implements Receiver {
  private final String name;
  private final URI alerts;
  private final Secret bearer;
  private final Duration timeout;

  /**
   * A receiver for the Alertmanager at {@code url}.
   *
   * @param bearer a bearer token for an Alertmanager behind a proxy, or {@code null}
   */
  public AlertmanagerReceiver(String name, String url, Secret bearer, Duration timeout) {
    this.name = name;
    URI base = Http.uri(url, "receiver " + name + " url");
    this.alerts = base.resolve((base.getPath() == null || base.getPath().isEmpty() ? "/" : base.getPath().endsWith("/")
        ? base.getPath() : base.getPath() + "/") + "api/v2/alerts");
    this.bearer = bearer;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "alertmanager";
  }

  @Override
  public void send(Notification n, String idempotencyKey) throws DeliveryException {
    ArrayNode list = Json.array();
    for (Notification.Item i : n.alerts()) {
      ObjectNode a = list.addObject();
      ObjectNode labels = a.putObject("labels");
      i.labels().forEach(labels::put);
      ObjectNode ann = a.putObject("annotations");
      i.annotations().forEach(ann::put);
      if (i.startsAt() != null) {
        a.put("startsAt", i.startsAt().toString());
      }
      if (i.endsAt() != null) {
        a.put("endsAt", i.endsAt().toString());
      }
      if (!n.externalUrl().isEmpty()) {
        a.put("generatorURL", n.externalUrl());
      }
    }
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json");
    if (bearer != null && !bearer.isEmpty()) {
      h.put("Authorization", "Bearer " + bearer.reveal());
    }
    Http.send("POST", alerts, h, Json.write(list), timeout, "Alertmanager of receiver " + name + " (" + Http.origin(alerts) + ")");
  }
}
