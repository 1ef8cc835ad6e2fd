package dev.vigil.monitor.apm;

import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The recorders of one kind of name (queries, operations, routes), bounded in number. */
final class Recorders {
  private final Clock clock;
  private final Duration window;
  private final int maxNames;
  private final ConcurrentHashMap<String, LatencyRecorder> byName = new ConcurrentHashMap<>();

  Recorders(Clock clock, Duration window, int maxNames) {
    this.clock = clock;
    this.window = window;
    this.maxNames = maxNames;
  }

  /** The recorder of {@code name}, or of {@link ApmOptions#OTHER} once {@code maxNames} names exist. */
  LatencyRecorder of(String name) {
    LatencyRecorder r = byName.get(name);
    if (r != null) {
      return r;
    }
    String key = byName.size() >= maxNames ? ApmOptions.OTHER : name;
    return byName.computeIfAbsent(key, k -> new LatencyRecorder(k, clock, window));
  }

  Optional<LatencyStats> find(String name) {
    return Optional.ofNullable(byName.get(name)).map(LatencyRecorder::snapshot);
  }

  /** Snapshots of all names, most total time first. */
  List<LatencyStats> snapshots() {
    List<LatencyStats> out = new ArrayList<>(byName.size());
    byName.values().forEach(r -> out.add(r.snapshot()));
    out.sort(Comparator.comparingDouble((LatencyStats s) -> s.meanMs() * s.count()).reversed()
        .thenComparing(LatencyStats::name));
    return out;
  }

  long count() {
    return byName.values().stream().mapToLong(LatencyRecorder::count).sum();
  }

  long slow() {
    return byName.values().stream().mapToLong(LatencyRecorder::slow).sum();
  }

  long errors() {
    return byName.values().stream().mapToLong(LatencyRecorder::errors).sum();
  }
}
