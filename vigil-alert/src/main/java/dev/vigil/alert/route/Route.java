package dev.vigil.alert.route;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node of the routing tree, as in Alertmanager: an alert goes down the first child whose matchers
 * match (or every matching child while {@code continue} is set), and is notified by the deepest
 * matching node's receiver. Children inherit unset settings from their parent (see
 * {@link #root(String, List, Duration, Duration, Duration, List)}).
 *
 * @param matchers what an alert must match to take this route
 * @param receiver the receiver name
 * @param groupBy labels whose values split alerts into notification groups ({@code ...} = all)
 * @param groupWait how long a new group waits for more alerts before its first notification
 * @param groupInterval how long to wait before notifying a group again about changes
 * @param repeatInterval how long to wait before re-sending an unchanged firing group
 * @param continueMatching whether later siblings are tried after this one matched
 * @param routes children
 */
public record Route(
    @JsonProperty("matchers") List<Matcher> matchers,
    @JsonProperty("receiver") String receiver,
    @JsonProperty("group_by") List<String> groupBy,
    @JsonProperty("group_wait") Duration groupWait,
    @JsonProperty("group_interval") Duration groupInterval,
    @JsonProperty("repeat_interval") Duration repeatInterval,
    @JsonProperty("continue") boolean continueMatching,
    @JsonProperty("routes") List<Route> routes) {
  /** Alertmanager's 30 s. */
  public static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(30);
  /** Alertmanager's 5 min. */
  public static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);
  /** Alertmanager's 4 h. */
  public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

  /** Copies the lists. */
  public Route {
    matchers = List.copyOf(matchers == null ? List.of() : matchers);
    groupBy = groupBy == null ? null : List.copyOf(groupBy);
    routes = List.copyOf(routes == null ? List.of() : routes);
  }

  /** The root route: every setting defaults to Alertmanager's. */
  public static Route root(String receiver, List<String> groupBy, Duration groupWait, Duration groupInterval,
      Duration repeatInterval, List<Route> routes) {
    Objects.requireNonNull(receiver, "the root route needs a receiver");
    return new Route(List.of(), receiver, groupBy == null ? List.of("alertname") : groupBy,
        groupWait == null ? DEFAULT_GROUP_WAIT : groupWait,
        groupInterval == null ? DEFAULT_GROUP_INTERVAL : groupInterval,
        repeatInterval == null ? DEFAULT_REPEAT_INTERVAL : repeatInterval, false, routes).resolved(null);
  }

  /** A child route that only sets matchers and receiver. */
  public static Route child(List<Matcher> matchers, String receiver) {
    return new Route(matchers, receiver, null, null, null, null, false, List.of());
  }

  /** This node with unset settings taken from {@code parent}, recursively. */
  Route resolved(Route parent) {
    Route self = parent == null ? this : new Route(matchers, receiver == null ? parent.receiver : receiver,
        groupBy == null ? parent.groupBy : groupBy, groupWait == null ? parent.groupWait : groupWait,
        groupInterval == null ? parent.groupInterval : groupInterval,
        repeatInterval == null ? parent.repeatInterval : repeatInterval, continueMatching, routes);
    List<Route> kids = new ArrayList<>();
    for (Route r : self.routes) {
      kids.add(r.resolved(self));
    }
    return new Route(self.matchers, self.receiver, self.groupBy, self.groupWait, self.groupInterval,
        self.repeatInterval, self.continueMatching, kids);
  }

  /** The routes that notify an alert with {@code labels} (at least this one when it matches). */
  public List<Route> match(Map<String, String> labels) {
    if (!Matcher.all(matchers, labels)) {
      return List.of();
    }
    List<Route> out = new ArrayList<>();
    for (Route child : routes) {
      List<Route> m = child.match(labels);
      if (!m.isEmpty()) {
        out.addAll(m);
        if (!child.continueMatching) {
          break;
        }
      }
    }
    if (out.isEmpty()) {
      out.add(this);
    }
    return out;
  }

  /** Every receiver named in the tree. */
  public List<String> receivers() {
    List<String> out = new ArrayList<>();
    out.add(receiver);
    for (Route r : routes) {
      for (String s : r.receivers()) {
        if (!out.contains(s)) {
          out.add(s);
        }
      }
    }
    return out;
  }
}
