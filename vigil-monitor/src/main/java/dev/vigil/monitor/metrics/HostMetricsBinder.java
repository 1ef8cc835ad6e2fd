package dev.vigil.monitor.metrics;

import dev.vigil.monitor.Sample;
import dev.vigil.monitor.SampleListener;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.host.ContainerLimits;
import dev.vigil.monitor.host.DiskIo;
import dev.vigil.monitor.host.FileSystemUsage;
import dev.vigil.monitor.host.HostMetrics;
import dev.vigil.monitor.host.NetworkIo;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * Exports the monitor's host readings as Micrometer meters, named for Prometheus: base units
 * (bytes, seconds), ratios 0–1, cumulative counters ending in {@code _total} once the Prometheus
 * registry has applied its naming convention. Gauges read the newest sample (they never trigger a
 * reading; before the first sample they are NaN). Per-file-system, per-disk, per-interface and per-core
 * meters appear with the first sample that has them and are removed when they vanish.
 *
 * <p>The names start with {@code host_} so they do not collide with Micrometer's JVM-side
 * {@code system_cpu_usage}/{@code system_load_average_1m}:
 * <pre>
 * host_cpu_usage                     ratio 0–1 of all CPUs (of the container quota when one applies)
 * host_cpu_core_usage{core}          ratio 0–1 per logical CPU
 * host_cpus                          logical CPUs
 * host_load_average{window=1m|5m|15m}
 * host_memory_total_bytes, host_memory_used_bytes, host_memory_available_bytes, host_memory_usage (ratio)
 * host_swap_total_bytes, host_swap_used_bytes
 * host_filesystem_size_bytes{mount,device,type}, host_filesystem_used_bytes{...}, host_filesystem_free_bytes{...},
 * host_filesystem_usage{...} (ratio, df-style)
 * host_disk_read_bytes_total{device}, host_disk_written_bytes_total{device},
 * host_disk_reads_total{device}, host_disk_writes_total{device}
 * host_network_received_bytes_total{interface}, host_network_transmitted_bytes_total{interface},
 * host_network_receive_errors_total{interface}, host_network_transmit_errors_total{interface}
 * host_processes                     number of processes
 * host_uptime_seconds
 * host_container_memory_limit_bytes, host_container_cpu_limit_cores (only inside a limited container)
 * vigil_monitor_anomalies_total      anomalies flagged
 * </pre>
 */
public final class HostMetricsBinder implements MeterBinder, AutoCloseable {
  private final SystemMonitor monitor;
  private final LongAdder anomalies = new LongAdder();
  private final Map<String, List<Meter>> dynamic = new HashMap<>();
  private MeterRegistry registry;
  private SampleListener listener;

  /** A binder over {@code monitor}'s samples. */
  public HostMetricsBinder(SystemMonitor monitor) {
    this.monitor = Objects.requireNonNull(monitor, "monitor");
  }

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    if (this.registry != null) {
      throw new IllegalStateException("this binder is already bound to a registry");
    }
    this.registry = registry;
    gauge("host.cpu.usage", null, "CPU busy, ratio of all CPUs", m -> m.cpuPercent() / 100.0, Tags.empty());
    gauge("host.cpus", null, "logical CPUs", HostMetrics::cpuCount, Tags.empty());
    gauge("host.load.average", null, "load average", m -> m.loadAverage() == null ? Double.NaN : m.loadAverage().oneMinute(),
        Tags.of("window", "1m"));
    gauge("host.load.average", null, "load average", m -> m.loadAverage() == null ? Double.NaN : m.loadAverage().fiveMinutes(),
        Tags.of("window", "5m"));
    gauge("host.load.average", null, "load average",
        m -> m.loadAverage() == null ? Double.NaN : m.loadAverage().fifteenMinutes(), Tags.of("window", "15m"));
    gauge("host.memory.total", BaseUnits.BYTES, "physical memory (or container limit)", HostMetrics::ramTotalBytes,
        Tags.empty());
    gauge("host.memory.used", BaseUnits.BYTES, "memory in use (total minus available)", HostMetrics::ramUsedBytes,
        Tags.empty());
    gauge("host.memory.available", BaseUnits.BYTES, "memory available without swapping", HostMetrics::ramAvailableBytes,
        Tags.empty());
    gauge("host.memory.usage", null, "memory in use, ratio", m -> m.ramPercent() / 100.0, Tags.empty());
    gauge("host.swap.total", BaseUnits.BYTES, "swap size", HostMetrics::swapTotalBytes, Tags.empty());
    gauge("host.swap.used", BaseUnits.BYTES, "swap in use", HostMetrics::swapUsedBytes, Tags.empty());
    gauge("host.processes", null, "number of processes", HostMetrics::processCount, Tags.empty());
    gauge("host.uptime", "seconds", "time since the host booted", HostMetrics::uptimeSeconds, Tags.empty());
    FunctionCounter.builder("vigil.monitor.anomalies", anomalies, LongAdder::sum)
        .description("anomalies flagged by the monitor").register(registry);
    listener = this::onSample;
    monitor.addListener(listener);
    monitor.latest().ifPresent(s -> sync(s.metrics()));
  }

  /** Stops following new samples; the meters stay registered. */
  @Override
  public synchronized void close() {
    if (listener != null) {
      monitor.removeListener(listener);
      listener = null;
    }
  }

  private void onSample(Sample s) {
    anomalies.add(s.anomalies().size());
    sync(s.metrics());
  }

  /** Registers meters for new file systems, disks, interfaces and cores and removes vanished ones. */
  private synchronized void sync(HostMetrics m) {
    Set<String> present = new HashSet<>();
    for (int i = 0; i < m.cpuPerCorePercent().size(); i++) {
      int core = i;
      register(present, "core:" + i, () -> List.of(gauge("host.cpu.core.usage", null, "CPU busy per logical CPU, ratio",
          x -> core < x.cpuPerCorePercent().size() ? x.cpuPerCorePercent().get(core) / 100.0 : Double.NaN,
          Tags.of("core", String.valueOf(core)))));
    }
    for (FileSystemUsage fs : m.disks()) {
      String mount = fs.mount();
      Tags tags = Tags.of("mount", mount, "device", fs.device(), "type", fs.type());
      register(present, "fs:" + mount, () -> List.of(
          gauge("host.filesystem.size", BaseUnits.BYTES, "file system size", x -> fsValue(x, mount, FileSystemUsage::totalBytes), tags),
          gauge("host.filesystem.used", BaseUnits.BYTES, "file system space used", x -> fsValue(x, mount, FileSystemUsage::usedBytes), tags),
          gauge("host.filesystem.free", BaseUnits.BYTES, "file system space free for users",
              x -> fsValue(x, mount, FileSystemUsage::freeBytes), tags),
          gauge("host.filesystem.usage", null, "file system used, ratio (df style)",
              x -> fsValue(x, mount, f -> f.percent() / 100.0), tags)));
    }
    for (DiskIo.Device d : m.diskIo().devices()) {
      String name = d.name();
      Tags tags = Tags.of("device", name);
      register(present, "disk:" + name, () -> List.of(
          counter("host.disk.read", BaseUnits.BYTES, "bytes read", x -> diskValue(x, name, DiskIo.Device::readBytesTotal), tags),
          counter("host.disk.written", BaseUnits.BYTES, "bytes written",
              x -> diskValue(x, name, DiskIo.Device::writeBytesTotal), tags),
          counter("host.disk.reads", null, "read operations", x -> diskValue(x, name, DiskIo.Device::readsTotal), tags),
          counter("host.disk.writes", null, "write operations", x -> diskValue(x, name, DiskIo.Device::writesTotal), tags)));
    }
    for (NetworkIo.Interface n : m.network().interfaces()) {
      String name = n.name();
      Tags tags = Tags.of("interface", name);
      register(present, "net:" + name, () -> List.of(
          counter("host.network.received", BaseUnits.BYTES, "bytes received",
              x -> netValue(x, name, NetworkIo.Interface::rxBytesTotal), tags),
          counter("host.network.transmitted", BaseUnits.BYTES, "bytes sent",
              x -> netValue(x, name, NetworkIo.Interface::txBytesTotal), tags),
          counter("host.network.receive.errors", null, "receive errors",
              x -> netValue(x, name, NetworkIo.Interface::rxErrorsTotal), tags),
          counter("host.network.transmit.errors", null, "transmit errors",
              x -> netValue(x, name, NetworkIo.Interface::txErrorsTotal), tags)));
    }
    ContainerLimits c = m.container();
    if (c != null && c.memoryLimitBytes() != null) {
      register(present, "container:memory", () -> List.of(gauge("host.container.memory.limit", BaseUnits.BYTES,
          "memory limit of the container", x -> x.container() == null || x.container().memoryLimitBytes() == null
              ? Double.NaN : x.container().memoryLimitBytes(), Tags.empty())));
    }
    if (c != null && c.cpuLimitCores() != null) {
      register(present, "container:cpu", () -> List.of(gauge("host.container.cpu.limit", "cores",
          "CPU quota of the container", x -> x.container() == null || x.container().cpuLimitCores() == null
              ? Double.NaN : x.container().cpuLimitCores(), Tags.empty())));
    }
    for (String key : new ArrayList<>(dynamic.keySet())) {
      if (!present.contains(key)) {
        dynamic.remove(key).forEach(registry::remove);
      }
    }
  }

  private interface MeterFactory {
    List<Meter> create();
  }

  private void register(Set<String> present, String key, MeterFactory factory) {
    present.add(key);
    if (!dynamic.containsKey(key)) {
      dynamic.put(key, factory.create());
    }
  }

  private Gauge gauge(String name, String unit, String description, ToDoubleFunction<HostMetrics> f, Tags tags) {
    return Gauge.builder(name, monitor, mon -> mon.latest().map(s -> f.applyAsDouble(s.metrics())).orElse(Double.NaN))
        .baseUnit(unit).description(description).tags(tags).strongReference(true).register(registry);
  }

  private FunctionCounter counter(String name, String unit, String description, ToDoubleFunction<HostMetrics> f, Tags tags) {
    return FunctionCounter.builder(name, monitor, mon -> mon.latest().map(s -> f.applyAsDouble(s.metrics())).orElse(0.0))
        .baseUnit(unit).description(description).tags(tags).register(registry);
  }

  private static double fsValue(HostMetrics m, String mount, ToDoubleFunction<FileSystemUsage> f) {
    for (FileSystemUsage fs : m.disks()) {
      if (fs.mount().equals(mount)) {
        return f.applyAsDouble(fs);
      }
    }
    return Double.NaN;
  }

  private static double diskValue(HostMetrics m, String device, ToDoubleFunction<DiskIo.Device> f) {
    for (DiskIo.Device d : m.diskIo().devices()) {
      if (d.name().equals(device)) {
        return f.applyAsDouble(d);
      }
    }
    return 0;
  }

  private static double netValue(HostMetrics m, String name, ToDoubleFunction<NetworkIo.Interface> f) {
    for (NetworkIo.Interface n : m.network().interfaces()) {
      if (n.name().equals(name)) {
        return f.applyAsDouble(n);
      }
    }
    return 0;
  }
}
