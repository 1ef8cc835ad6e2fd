package dev.vigil.alert.rule;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * Reads a Micrometer registry under the names {@code /metrics} shows (the registry's naming
 * convention with '.' as '_': {@code vigil.cache.degraded} → {@code vigil_cache_degraded},
 * {@code jvm.threads.live} → {@code jvm_threads_live_threads} on a Prometheus registry; counters
 * {@code _total}; timers {@code _seconds_count}, {@code _seconds_sum}, {@code _seconds_max}) and derives, over a sliding {@code window}:
 * <ul>
 *   <li>{@code vigil_http_error_ratio{scope}}: 5xx answers / all answers of the timer
 *       {@code http.server.requests} (scope {@code api}) and {@code vigil.proxy.requests} (scope
 *       {@code app}) in the window</li>
 *   <li>{@code vigil_http_p95_seconds{scope}}: the 95th percentile of those timers, when they publish
 *       it (otherwise the server supplies it from its request statistics)</li>
 *   <li>{@code vigil_cache_hit_ratio}: hits / (hits + misses) of {@code vigil.cache.gets} in the window</li>
 * </ul>
 * A ratio is absent until its window saw a request. Thread-safe.
 */
public final class RegistryMetricSource implements MetricSource {
  /** Five minutes. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
  private static final Map<String, String> SCOPES = Map.of("http.server.requests", "api", "vigil.proxy.requests", "app");
  private final MeterRegistry registry;
  private final Clock clock;
  private final Duration window;
  private final Map<String, Deque<double[]>> samples = new HashMap<>();
  // which meters answer each raw metric and each meter name, forgotten when a meter is added or removed
  private final AtomicLong meterVersion = new AtomicLong();
  private long indexedVersion = -1;
  private final Map<String, List<Reader>> readers = new HashMap<>();
  private final Map<String, List<Meter>> byName = new HashMap<>();

  /** Reads one series of a raw metric. */
  private record Reader(Map<String, String> labels, DoubleSupplier value) {
  }

  /** A source over {@code registry}. */
  public RegistryMetricSource(MeterRegistry registry, Clock clock, Duration window) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.window = Objects.requireNonNull(window, "window");
    registry.config().onMeterAdded(m -> meterVersion.incrementAndGet());
    registry.config().onMeterRemoved(m -> meterVersion.incrementAndGet());
  }

  @Override
  public synchronized List<Series> read(String metric) {
    long current = meterVersion.get();
    if (current != indexedVersion) {
      readers.clear();
      byName.clear();
      indexedVersion = current;
    }
    return switch (metric) {
      case "vigil_http_error_ratio" -> errorRatios();
      case "vigil_http_p95_seconds" -> p95s();
      case "vigil_cache_hit_ratio" -> cacheHitRatio();
      default -> raw(metric);
    };
  }

  private List<Series> raw(String metric) {
    List<Reader> found = readers.computeIfAbsent(metric, this::readersOf);
    List<Series> out = new ArrayList<>(found.size());
    for (Reader r : found) {
      out.add(new Series(r.labels(), r.value().getAsDouble()));
    }
    return out;
  }

  /** The meters called {@code name}, found again only when a meter was added or removed. */
  private List<Meter> named(String name) {
    return byName.computeIfAbsent(name, n -> List.copyOf(registry.find(n).meters()));
  }

  /** How to read {@code metric} from each meter it names; the meters are walked only when they change. */
  private List<Reader> readersOf(String metric) {
    List<Reader> out = new ArrayList<>();
    NamingConvention convention = registry.config().namingConvention();
    for (Meter m : registry.getMeters()) {
      Meter.Id id = m.getId();
      String name = convention.name(id.getName(), id.getType(), id.getBaseUnit()).replace('.', '_');
      if (!metric.startsWith(name) && !metric.startsWith(id.getName().replace('.', '_'))) {
        continue;
      }
      String base = name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
      DoubleSupplier v = null;
      if (m instanceof Gauge g && metric.equals(name)) {
        v = g::value;
      } else if (m instanceof Counter c && metric.equals(base + "_total")) {
        v = c::count;
      } else if (m instanceof FunctionCounter c && metric.equals(base + "_total")) {
        v = c::count;
      } else if (m instanceof Timer t) {
        String seconds = base.endsWith("_seconds") ? base : base + "_seconds";
        if (metric.equals(seconds + "_count")) {
          v = () -> (double) t.count();
        } else if (metric.equals(seconds + "_sum")) {
          v = () -> t.totalTime(TimeUnit.SECONDS);
        } else if (metric.equals(seconds + "_max")) {
          v = () -> t.max(TimeUnit.SECONDS);
        }
      }
      if (v != null) {
        out.add(new Reader(Collections.unmodifiableMap(tags(m)), v));
      }
    }
    return List.copyOf(out);
  }

  private List<Series> errorRatios() {
    List<Series> out = new ArrayList<>();
    SCOPES.forEach((timer, scope) -> {
      double total = 0;
      double errors = 0;
      boolean any = false;
      for (Meter m : named(timer)) {
        if (m instanceof Timer t) {
          any = true;
          total += t.count();
          String status = m.getId().getTag("status");
          if (status != null && status.startsWith("5")) {
            errors += t.count();
          }
        }
      }
      if (any) {
        double[] d = delta("errors:" + scope, total, errors);
        if (d != null && d[0] > 0) {
          out.add(new Series(Map.of("scope", scope), d[1] / d[0]));
        }
      }
    });
    return out;
  }

  private List<Series> p95s() {
    List<Series> out = new ArrayList<>();
    SCOPES.forEach((timer, scope) -> {
      double worst = Double.NaN;
      for (Meter m : named(timer)) {
        if (m instanceof Timer t) {
          for (ValueAtPercentile p : t.takeSnapshot().percentileValues()) {
            if (Math.abs(p.percentile() - 0.95) < 1e-9) {
              double s = p.value(TimeUnit.SECONDS);
              worst = Double.isNaN(worst) ? s : Math.max(worst, s);
            }
          }
        }
      }
      if (!Double.isNaN(worst)) {
        out.add(new Series(Map.of("scope", scope), worst));
      }
    });
    return out;
  }

  private List<Series> cacheHitRatio() {
    double hits = 0;
    double all = 0;
    boolean any = false;
    for (Meter m : named("vigil.cache.gets")) {
      double c = m instanceof FunctionCounter fc ? fc.count() : m instanceof Counter cc ? cc.count() : 0;
      any = true;
      all += c;
      if ("hit".equals(m.getId().getTag("result"))) {
        hits += c;
      }
    }
    if (!any) {
      return List.of();
    }
    double[] d = delta("cache", all, hits);
    return d == null || d[0] <= 0 ? List.of() : List.of(new Series(Map.of(), d[1] / d[0]));
  }

  /** The growth of (total, part) over the window, remembering this sample; null until two samples. */
  private double[] delta(String key, double total, double part) {
    long now = clock.millis();
    Deque<double[]> q = samples.computeIfAbsent(key, k -> new ArrayDeque<>());
    q.addLast(new double[] {now, total, part});
    while (q.size() > 2 && q.peekFirst()[0] < now - window.toMillis()) {
      q.pollFirst();
    }
    if (q.size() < 2) {
      return null;
    }
    double[] first = q.peekFirst();
    if (total < first[1]) {
      q.clear();
      q.addLast(new double[] {now, total, part});
      return null;
    }
    return new double[] {total - first[1], part - first[2]};
  }

  private static Map<String, String> tags(Meter m) {
    Map<String, String> out = new TreeMap<>();
    for (Tag t : m.getId().getTagsAsIterable()) {
      out.put(t.getKey(), t.getValue());
    }
    return out;
  }
}
