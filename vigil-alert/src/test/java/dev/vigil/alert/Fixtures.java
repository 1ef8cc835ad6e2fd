package dev.vigil.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.alert.queue.MutableClock;
import dev.vigil.alert.rule.MetricSource;
import dev.vigil.alert.rule.Series;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Shared helpers of the alert tests. */
final class Fixtures {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Fixtures() {
  }

  static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static AlertsConfig config(String yaml, Map<String, String> env) {
    return AlertsConfig.parse(yaml(yaml), env);
  }

  /** Metric values tests set by hand. */
  static final class Values implements MetricSource {
    final Map<String, List<Series>> values = new ConcurrentHashMap<>();

    void set(String metric, double v) {
      values.put(metric, List.of(Series.of(v)));
    }

    void set(String metric, Map<String, String> labels, double v) {
      List<Series> l = new ArrayList<>(values.getOrDefault(metric, List.of()));
      l.removeIf(s -> s.labels().equals(labels));
      l.add(new Series(labels, v));
      values.put(metric, l);
    }

    @Override
    public List<Series> read(String metric) {
      return values.getOrDefault(metric, List.of());
    }
  }

  /** Evaluates every {@code step} for {@code total}, returning the notifications enqueued. */
  static List<Notification> run(AlertEngine engine, MutableClock clock, Duration total, Duration step) {
    List<Notification> out = new ArrayList<>();
    for (long t = 0; t < total.toMillis(); t += step.toMillis()) {
      clock.advance(step);
      out.addAll(engine.evaluate());
    }
    return out;
  }
}
