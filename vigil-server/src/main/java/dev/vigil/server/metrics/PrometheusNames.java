package dev.vigil.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Keeps every exposed name acceptable to {@code promtool check metrics}: Micrometer's binders name a
 * few meters in ways Prometheus lints reject (a gauge ending in {@code _count}, a unit abbreviated to
 * {@code ns}). They are renamed or replaced here, once, for the whole registry:
 * <ul>
 *   <li>{@code system_cpu_count} becomes {@code system_cpus}</li>
 *   <li>{@code process_cpu_time_ns_total} is dropped; {@code process_cpu_seconds_total} (the name the
 *       Prometheus client libraries use) takes its place, in seconds</li>
 * </ul>
 */
public final class PrometheusNames {
  /** Micrometer meter names replaced by another name, old to new (dots, as Micrometer names them). */
  public static final Map<String, String> RENAMED = Map.of("system.cpu.count", "system.cpus");
  /** Micrometer meter names dropped. */
  public static final String DROPPED = "process.cpu.time";

  private PrometheusNames() {
  }

  /** Installs the renames on {@code registry}; call before any binder registers a meter. */
  public static void applyTo(MeterRegistry registry) {
    registry.config().meterFilter(MeterFilter.denyNameStartsWith(DROPPED));
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        String to = RENAMED.get(id.getName());
        return to == null ? id : id.withName(to);
      }
    });
  }

  /** Registers {@code process_cpu_seconds_total}: CPU time used by this JVM, in seconds. */
  public static void bindProcessCpuSeconds(MeterRegistry registry) {
    OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
    if (os != null) {
      FunctionCounter.builder("process.cpu.seconds", os, o -> Math.max(0, o.getProcessCpuTime()) / 1e9)
          .description("CPU time used by the Vigil process")
          .register(registry);
    }
  }
}
