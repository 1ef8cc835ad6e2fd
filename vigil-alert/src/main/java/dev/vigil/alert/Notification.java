package dev.vigil.alert;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One notification of a group of alerts to one receiver, in the shape of Alertmanager's webhook
 * payload (version 4), so tools that read Alertmanager webhooks read Vigil's.
 *
 * @param version always "4"
 * @param groupKey identifies the group (route and group labels)
 * @param status "firing" when any alert fires, else "resolved"
 * @param receiver the receiver name
 * @param groupLabels the group_by labels' values
 * @param commonLabels labels every alert shares
 * @param commonAnnotations annotations every alert shares
 * @param externalUrl where Vigil's dashboard is
 * @param alerts the alerts
 */
public record Notification(
    @JsonProperty("version") String version,
    @JsonProperty("groupKey") String groupKey,
    @JsonProperty("status") String status,
    @JsonProperty("receiver") String receiver,
    @JsonProperty("groupLabels") Map<String, String> groupLabels,
    @JsonProperty("commonLabels") Map<String, String> commonLabels,
    @JsonProperty("commonAnnotations") Map<String, String> commonAnnotations,
    @JsonProperty("externalURL") String externalUrl,
    @JsonProperty("alerts") List<Item> alerts) {

  /**
   * One alert in a notification.
   *
   * @param status firing or resolved
   * @param labels its labels
   * @param annotations its annotations
   * @param startsAt when it started firing
   * @param endsAt when it resolved (null while firing)
   * @param fingerprint its fingerprint
   */
  public record Item(
      @JsonProperty("status") String status,
      @JsonProperty("labels") Map<String, String> labels,
      @JsonProperty("annotations") Map<String, String> annotations,
      @JsonProperty("startsAt") Instant startsAt,
      @JsonProperty("endsAt") Instant endsAt,
      @JsonProperty("fingerprint") String fingerprint) {
    /** Whether it is resolved. */
    public boolean resolved() {
      return "resolved".equals(status);
    }
  }

  /** Whether any alert fires. */
  public boolean firing() {
    return "firing".equals(status);
  }

  /** The group's title: the alert name, with the number of alerts when more than one. */
  public String title() {
    String name = commonLabels.getOrDefault("alertname", groupLabels.getOrDefault("alertname", "alerts"));
    long firing = alerts.stream().filter(a -> !a.resolved()).count();
    return "[" + (firing() ? "FIRING:" + firing : "RESOLVED") + "] " + name;
  }

  /** The highest severity among the alerts. */
  public String severity() {
    String best = "info";
    for (Item i : alerts) {
      String s = i.labels().getOrDefault("severity", "warning");
      if (s.equals("critical") || (s.equals("warning") && best.equals("info"))) {
        best = s;
      }
    }
    return best;
  }
}
