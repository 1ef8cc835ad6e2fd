package dev.vigil.alert.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.vigil.alert.Alert;
import dev.vigil.alert.Notification;
import dev.vigil.alert.queue.JobQueue;
import dev.vigil.alert.queue.JobRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Routes alerts to receivers as Alertmanager does: each firing alert goes down the route tree into a
 * group (route + {@code group_by} values); a new group is notified after {@code group_wait}, changes
 * (new or resolved alerts) at most every {@code group_interval}, an unchanged firing group again after
 * {@code repeat_interval}. Silenced and inhibited alerts are left out. Each notification becomes a
 * job on the receiver's queue with an idempotency key. Thread-safe; {@link #tick()} runs on the
 * evaluation thread.
 */
public final class Dispatcher {
  /** The job kind of a notification. */
  public static final String KIND = "notification";
  static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final Route root;
  private final List<InhibitRule> inhibitRules;
  private final Silences silences;
  private final JobQueue queue;
  private final Clock clock;
  private final String externalUrl;
  private final Map<String, Alert> alerts = new LinkedHashMap<>();
  private final Map<String, Group> groups = new LinkedHashMap<>();

  /** A dispatcher over the route tree {@code root}. */
  public Dispatcher(Route root, List<InhibitRule> inhibitRules, Silences silences, JobQueue queue, Clock clock,
      String externalUrl) {
    this.root = Objects.requireNonNull(root, "root route");
    this.inhibitRules = List.copyOf(inhibitRules);
    this.silences = Objects.requireNonNull(silences, "silences");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.externalUrl = externalUrl == null ? "" : externalUrl;
  }

  /** The route tree. */
  public Route route() {
    return root;
  }

  /**
   * Takes in the alerts of one evaluation: firing alerts join their groups, resolved ones are marked
   * resolved there. Pending alerts are kept for listing only.
   */
  public synchronized void update(List<Alert> batch) {
    for (Alert a : batch) {
      if (a.state() == Alert.State.RESOLVED) {
        alerts.remove(a.fingerprint());
      } else {
        alerts.put(a.fingerprint(), a);
      }
      if (a.state() == Alert.State.PENDING) {
        continue;
      }
      for (Route r : root.match(a.labels())) {
        String key = groupKey(r, a.labels());
        Group g = groups.get(key);
        if (g == null) {
          if (a.state() == Alert.State.RESOLVED) {
            continue;
          }
          g = new Group(key, r, groupLabels(r, a.labels()), clock.instant().plus(r.groupWait()));
          groups.put(key, g);
        }
        g.alerts.put(a.fingerprint(), a);
      }
    }
  }

  /**
   * Notifies every group that is due: enqueues one job per notification.
   *
   * @return the notifications enqueued
   */
  public synchronized List<Notification> tick() {
    Instant now = clock.instant();
    List<Notification> sent = new ArrayList<>();
    List<Alert> firingAll = alerts.values().stream().filter(a -> a.state() == Alert.State.FIRING).toList();
    for (var it = groups.values().iterator(); it.hasNext(); ) {
      Group g = it.next();
      if (now.isBefore(g.nextFlush)) {
        continue;
      }
      List<Alert> firing = new ArrayList<>();
      List<Alert> resolved = new ArrayList<>();
      for (Alert a : g.alerts.values()) {
        if (a.state() == Alert.State.RESOLVED) {
          if (g.lastFiring.contains(a.fingerprint())) {
            resolved.add(a);
          }
        } else if (!muted(a, firingAll)) {
          firing.add(a);
        }
      }
      Set<String> firingSet = new HashSet<>();
      firing.forEach(a -> firingSet.add(a.fingerprint()));
      // an alert notified as firing that is now muted counts as gone, not resolved
      boolean changed = !firingSet.equals(g.lastFiring) && !(firingSet.isEmpty() && resolved.isEmpty());
      boolean repeat = !firing.isEmpty() && g.lastNotified != null
          && !now.isBefore(g.lastNotified.plus(g.route.repeatInterval()));
      if (!resolved.isEmpty() || changed || repeat || (g.lastNotified == null && !firing.isEmpty())) {
        Notification n = notification(g, firing, resolved);
        enqueue(g, n, now);
        sent.add(n);
        g.lastNotified = now;
        g.lastFiring = firingSet;
      } else if (firingSet.isEmpty()) {
        g.lastFiring = firingSet;
      }
      g.alerts.values().removeIf(a -> a.state() == Alert.State.RESOLVED);
      g.nextFlush = now.plus(g.route.groupInterval());
      if (g.alerts.isEmpty()) {
        it.remove();
      }
    }
    return sent;
  }

  /** Whether a silence or an inhibition mutes {@code a}. */
  public synchronized boolean muted(Alert a) {
    return muted(a, alerts.values().stream().filter(x -> x.state() == Alert.State.FIRING).toList());
  }

  private boolean muted(Alert a, List<Alert> firing) {
    return silences.muted(a.labels()) || inhibited(a, firing);
  }

  /** Whether a firing alert inhibits {@code a}. */
  public synchronized boolean inhibited(Alert a) {
    return inhibited(a, alerts.values().stream().filter(x -> x.state() == Alert.State.FIRING).toList());
  }

  private boolean inhibited(Alert a, List<Alert> firing) {
    for (InhibitRule rule : inhibitRules) {
      for (Alert source : firing) {
        if (rule.mutes(source.labels(), a.labels())) {
          return true;
        }
      }
    }
    return false;
  }

  /** The pending and firing alerts now. */
  public synchronized List<Alert> alerts() {
    return List.copyOf(alerts.values());
  }

  private void enqueue(Group g, Notification n, Instant now) {
    String payload;
    try {
      payload = JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write notification for group " + g.key, e);
    }
    int priority = switch (n.severity()) {
      case "critical" -> 30;
      case "warning" -> 20;
      default -> 10;
    } - (n.firing() ? 0 : 5);
    String key = "n:" + g.route.receiver() + ":" + Alert.fingerprint(Map.of("g", g.key)) + ":" + now.toEpochMilli();
    queue.enqueue(JobRequest.of(g.route.receiver(), KIND, key, priority, payload));
  }

  private Notification notification(Group g, List<Alert> firing, List<Alert> resolved) {
    List<Notification.Item> items = new ArrayList<>();
    for (Alert a : firing) {
      items.add(new Notification.Item("firing", a.labels(), a.annotations(), a.startsAt(), null, a.fingerprint()));
    }
    for (Alert a : resolved) {
      items.add(new Notification.Item("resolved", a.labels(), a.annotations(), a.startsAt(), a.endsAt(), a.fingerprint()));
    }
    return new Notification("4", g.key, firing.isEmpty() ? "resolved" : "firing", g.route.receiver(), g.labels,
        common(items, true), common(items, false), externalUrl, items);
  }

  private static Map<String, String> common(List<Notification.Item> items, boolean labels) {
    Map<String, String> out = null;
    for (Notification.Item i : items) {
      Map<String, String> m = labels ? i.labels() : i.annotations();
      if (out == null) {
        out = new TreeMap<>(m);
      } else {
        out.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
      }
    }
    return out == null ? Map.of() : out;
  }

  private static Map<String, String> groupLabels(Route r, Map<String, String> labels) {
    Map<String, String> out = new TreeMap<>();
    if (r.groupBy().contains("...")) {
      out.putAll(labels);
      return out;
    }
    for (String l : r.groupBy()) {
      if (labels.containsKey(l)) {
        out.put(l, labels.get(l));
      }
    }
    return out;
  }

  private static String groupKey(Route r, Map<String, String> labels) {
    return r.receiver() + ":" + r.matchers() + ":" + groupLabels(r, labels);
  }

  private static final class Group {
    final String key;
    final Route route;
    final Map<String, String> labels;
    final Map<String, Alert> alerts = new HashMap<>();
    Instant nextFlush;
    Instant lastNotified;
    Set<String> lastFiring = Set.of();

    Group(String key, Route route, Map<String, String> labels, Instant nextFlush) {
      this.key = key;
      this.route = route;
      this.labels = labels;
      this.nextFlush = nextFlush;
    }
  }
}
