package dev.vigil.alert.rule;

import dev.vigil.alert.Alert;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Evaluates rules against a {@link MetricSource}: one alert per rule and matching series, moving
 * pending → firing (after {@code for}) → resolved (once the value is back past the threshold by the
 * hysteresis). Not thread-safe: one evaluation thread calls {@link #evaluate()}.
 */
public final class RuleEngine {
  private static final int MIN_SAMPLES = 10;
  private static final int MAX_SAMPLES = 4096;

  private final List<Rule> rules;
  private final MetricSource source;
  private final Clock clock;
  private final Map<String, Tracked> tracked = new HashMap<>();
  private final Map<String, Deque<double[]>> history = new HashMap<>();
  // label sets seen before and their fingerprints: the same series come back every evaluation
  private final Map<Map<String, String>, String> fingerprints = new HashMap<>();
  private static final int MAX_FINGERPRINTS = 10_000;

  /** An engine over {@code rules}. */
  public RuleEngine(List<Rule> rules, MetricSource source, Clock clock) {
    this.rules = List.copyOf(rules);
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
    Map<String, Rule> names = new HashMap<>();
    for (Rule r : this.rules) {
      if (names.put(r.name(), r) != null) {
        throw new IllegalArgumentException("two alert rules are named " + r.name());
      }
    }
  }

  /** The rules. */
  public List<Rule> rules() {
    return rules;
  }

  /**
   * Reads every rule's metric once and updates the alerts.
   *
   * @return the pending and firing alerts, plus those that resolved in this evaluation
   */
  public List<Alert> evaluate() {
    Instant now = clock.instant();
    Map<String, List<Series>> read = new HashMap<>();
    List<Alert> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Rule rule : rules) {
      List<Series> series = read.computeIfAbsent(rule.metric(), source::read);
      for (Series s : series) {
        if (!selected(rule, s)) {
          continue;
        }
        Map<String, String> labels = new TreeMap<>(s.labels());
        labels.putAll(rule.labels());
        labels.put("alertname", rule.name());
        labels.put("severity", rule.severity());
        String fp = fingerprint(labels);
        seen.add(fp);
        Judgement j = judge(rule, fp, s.value(), now);
        Tracked t = tracked.get(fp);
        Alert next = step(rule, t, fp, labels, j, now);
        if (next == null) {
          tracked.remove(fp);
          continue;
        }
        tracked.put(fp, new Tracked(rule, next));
        out.add(next);
      }
    }
    // series that vanished (or rules whose metric went away): firing alerts resolve, pending ones drop
    for (Iterator<Map.Entry<String, Tracked>> it = tracked.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Tracked> e = it.next();
      if (seen.contains(e.getKey())) {
        if (e.getValue().alert.state() == Alert.State.RESOLVED) {
          it.remove();
        }
        continue;
      }
      Alert a = e.getValue().alert;
      it.remove();
      history.remove(e.getKey());
      if (a.state() == Alert.State.FIRING) {
        out.add(a.with(Alert.State.RESOLVED, a.startsAt(), now, a.value(), a.annotations()));
      }
    }
    return out;
  }

  private String fingerprint(Map<String, String> labels) {
    String fp = fingerprints.get(labels);
    if (fp == null) {
      if (fingerprints.size() >= MAX_FINGERPRINTS) {
        fingerprints.clear();
      }
      fp = Alert.fingerprint(labels);
      fingerprints.put(Map.copyOf(labels), fp);
    }
    return fp;
  }

  private Alert step(Rule rule, Tracked t, String fp, Map<String, String> labels, Judgement j, Instant now) {
    Alert prev = t == null || t.alert.state() == Alert.State.RESOLVED ? null : t.alert;
    if (prev == null) {
      if (!j.fires) {
        return null;
      }
      Alert a = new Alert(fp, labels, annotations(rule, j.value, labels), Alert.State.PENDING, now, null, null, j.value);
      return rule.forDuration().isZero() ? a.with(Alert.State.FIRING, now, null, j.value, a.annotations()) : a;
    }
    if (prev.state() == Alert.State.PENDING) {
      if (!j.fires) {
        return null;
      }
      if (!now.isBefore(prev.activeAt().plus(rule.forDuration()))) {
        return prev.with(Alert.State.FIRING, now, null, j.value, annotations(rule, j.value, labels));
      }
      return prev.with(Alert.State.PENDING, null, null, j.value, prev.annotations());
    }
    if (j.holds) {
      return prev.with(Alert.State.FIRING, prev.startsAt(), null, j.value, prev.annotations());
    }
    return prev.with(Alert.State.RESOLVED, prev.startsAt(), now, j.value, prev.annotations());
  }

  private static Map<String, String> annotations(Rule rule, double value, Map<String, String> labels) {
    Map<String, String> a = new TreeMap<>();
    rule.summary().forEach((lang, tpl) -> a.put(lang.equals("en") ? "summary" : "summary_" + lang,
        Templates.render(tpl, rule, value, labels)));
    rule.description().forEach((lang, tpl) -> a.put(lang.equals("en") ? "description" : "description_" + lang,
        Templates.render(tpl, rule, value, labels)));
    if (!a.containsKey("summary")) {
      a.put("summary", rule.name() + ": " + rule.metric() + " " + rule.op().symbol() + " "
          + Templates.number(rule.threshold()) + " (now " + Templates.number(value) + ")");
    }
    return a;
  }

  private static boolean selected(Rule rule, Series s) {
    for (Map.Entry<String, String> e : rule.selector().entrySet()) {
      if (!e.getValue().equals(s.labels().get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Whether the condition fires now, whether a firing alert still holds, and the value shown. */
  private record Judgement(boolean fires, boolean holds, double value) {
  }

  private Judgement judge(Rule rule, String fp, double value, Instant now) {
    if (Double.isNaN(value)) {
      return new Judgement(false, false, value);
    }
    switch (rule.kind()) {
      case THRESHOLD -> {
        return new Judgement(rule.op().test(value, rule.threshold()),
            rule.op().holds(value, rule.threshold(), rule.hysteresis()), value);
      }
      case ANOMALY -> {
        Deque<double[]> h = remember(fp, rule, value, now);
        double[] stats = meanStd(h, true);
        if (stats == null) {
          return new Judgement(false, false, value);
        }
        double z = stats[1] == 0 ? (value == stats[0] ? 0 : Double.POSITIVE_INFINITY) : Math.abs(value - stats[0]) / stats[1];
        return new Judgement(z > rule.threshold(), z > Math.max(0, rule.threshold() - rule.hysteresis()), value);
      }
      case FORECAST -> {
        Deque<double[]> h = remember(fp, rule, value, now);
        if (h.size() < MIN_SAMPLES) {
          return new Judgement(false, false, value);
        }
        double projected = project(h, now.toEpochMilli() + rule.horizon().toMillis());
        return new Judgement(rule.op().test(projected, rule.threshold()),
            rule.op().holds(projected, rule.threshold(), rule.hysteresis()), projected);
      }
      case INCREASE -> {
        Deque<double[]> h = remember(fp, rule, value, now);
        double first = h.peekFirst()[1];
        double increase = value >= first ? value - first : value;
        return new Judgement(h.size() > 1 && rule.op().test(increase, rule.threshold()),
            h.size() > 1 && rule.op().holds(increase, rule.threshold(), rule.hysteresis()), increase);
      }
      case AGE -> {
        double age = now.toEpochMilli() / 1000.0 - value;
        return new Judgement(rule.op().test(age, rule.threshold()), rule.op().holds(age, rule.threshold(), rule.hysteresis()), age);
      }
      default -> throw new IllegalStateException("unknown rule kind " + rule.kind());
    }
  }

  private Deque<double[]> remember(String fp, Rule rule, double value, Instant now) {
    Deque<double[]> h = history.computeIfAbsent(fp, k -> new ArrayDeque<>());
    long cutoff = now.toEpochMilli() - rule.window().toMillis();
    while (!h.isEmpty() && (h.peekFirst()[0] < cutoff || h.size() >= MAX_SAMPLES)) {
      h.pollFirst();
    }
    h.addLast(new double[] {now.toEpochMilli(), value});
    return h;
  }

  /** Mean and standard deviation of the history, without the newest sample when {@code skipLast}. */
  private static double[] meanStd(Deque<double[]> h, boolean skipLast) {
    int n = h.size() - (skipLast ? 1 : 0);
    if (n < MIN_SAMPLES) {
      return null;
    }
    double sum = 0;
    double sq = 0;
    int i = 0;
    for (double[] p : h) {
      if (i++ == n) {
        break;
      }
      sum += p[1];
      sq += p[1] * p[1];
    }
    double mean = sum / n;
    return new double[] {mean, Math.sqrt(Math.max(0, sq / n - mean * mean))};
  }

  /** Least-squares line through the history, evaluated at {@code atMillis}. */
  private static double project(Deque<double[]> h, long atMillis) {
    double t0 = h.peekFirst()[0];
    double n = h.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (double[] p : h) {
      double x = (p[0] - t0) / 1000.0;
      sx += x;
      sy += p[1];
      sxx += x * x;
      sxy += x * p[1];
    }
    double den = n * sxx - sx * sx;
    if (den == 0) {
      return sy / n;
    }
    double slope = (n * sxy - sx * sy) / den;
    double intercept = (sy - slope * sx) / n;
    return intercept + slope * ((atMillis - t0) / 1000.0);
  }

  private record Tracked(Rule rule, Alert alert) {
  }
}
