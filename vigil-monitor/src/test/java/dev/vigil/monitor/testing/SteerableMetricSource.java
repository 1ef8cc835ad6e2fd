package dev.vigil.monitor.testing;

import dev.vigil.monitor.host.DiskIo;
import dev.vigil.monitor.host.FileSystemUsage;
import dev.vigil.monitor.host.HostMetrics;
import dev.vigil.monitor.host.LoadAverage;
import dev.vigil.monitor.host.MetricSource;
import dev.vigil.monitor.host.NetworkIo;
import dev.vigil.monitor.process.ProcessInfo;
import dev.vigil.monitor.process.ProcessOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * A metric source a test steers: CPU, RAM and each file system's fullness are whatever the test sets,
 * as constants or as suppliers asked on every reading (a rising disk, a spiking CPU). Defaults: CPU 10 %,
 * 16 GiB RAM 40 % used, {@code /} of 100 GiB 50 % full, 4 CPUs, 120 processes, no swap, one disk and
 * one interface with fixed counters. Thread-safe.
 */
public final class SteerableMetricSource implements MetricSource {
  /** 1 GiB. */
  public static final long GIB = 1024L * 1024 * 1024;

  private volatile DoubleSupplier cpu = () -> 10;
  private volatile DoubleSupplier ram = () -> 40;
  private volatile long ramTotal = 16 * GIB;
  private final Map<String, DoubleSupplier> disks = new LinkedHashMap<>();
  private volatile List<ProcessInfo> processes = List.of();
  private volatile int processCount = 120;
  private final AtomicInteger reads = new AtomicInteger();

  /** A source with the defaults. */
  public SteerableMetricSource() {
    disks.put("/", () -> 50);
  }

  /** CPU busy % from now on. */
  public SteerableMetricSource cpu(double percent) {
    return cpu(() -> percent);
  }

  /** CPU busy % asked on every reading. */
  public SteerableMetricSource cpu(DoubleSupplier percent) {
    this.cpu = percent;
    return this;
  }

  /** RAM used % from now on. */
  public SteerableMetricSource ram(double percent) {
    return ram(() -> percent);
  }

  /** RAM used % asked on every reading. */
  public SteerableMetricSource ram(DoubleSupplier percent) {
    this.ram = percent;
    return this;
  }

  /** Total RAM. */
  public SteerableMetricSource ramTotal(long bytes) {
    this.ramTotal = bytes;
    return this;
  }

  /** A file system of 100 GiB at {@code mount}, {@code percent} full. */
  public SteerableMetricSource disk(String mount, double percent) {
    return disk(mount, () -> percent);
  }

  /** A file system of 100 GiB at {@code mount}, its fullness asked on every reading. */
  public synchronized SteerableMetricSource disk(String mount, DoubleSupplier percent) {
    disks.put(mount, percent);
    return this;
  }

  /** Removes the file system at {@code mount}. */
  public synchronized SteerableMetricSource removeDisk(String mount) {
    disks.remove(mount);
    return this;
  }

  /** The processes {@link #topProcesses} ranks. */
  public SteerableMetricSource processes(List<ProcessInfo> list) {
    this.processes = List.copyOf(list);
    return this;
  }

  /** The process count readings report. */
  public SteerableMetricSource processCount(int n) {
    this.processCount = n;
    return this;
  }

  /** How many readings were taken. */
  public int reads() {
    return reads.get();
  }

  @Override
  public synchronized HostMetrics read(Instant timestamp) {
    int n = reads.incrementAndGet();
    long ramUsed = Math.round(ramTotal * ram.getAsDouble() / 100.0);
    List<FileSystemUsage> fs = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, DoubleSupplier> e : disks.entrySet()) {
      long total = 100 * GIB;
      long used = Math.round(total * e.getValue().getAsDouble() / 100.0);
      fs.add(new FileSystemUsage(e.getKey(), "/dev/test" + i++, "ext4", total, used, total - used));
    }
    double c = cpu.getAsDouble();
    DiskIo io = new DiskIo(List.of(new DiskIo.Device("/dev/test0", 1024, 2048, 1, 2, 1024L * n, 2048L * n, n, 2L * n)));
    NetworkIo net = new NetworkIo(List.of(new NetworkIo.Interface("eth0", 100, 200, 0, 0, 100L * n, 200L * n, 0, 0)));
    return new HostMetrics(timestamp, c, List.of(c, c, c, c), 4, new LoadAverage(c / 25, c / 25, c / 25), ramTotal,
        ramTotal - ramUsed, 0, 0, fs, io, net, processCount, 3600 + n, null);
  }

  @Override
  public List<ProcessInfo> topProcesses(int n, ProcessOrder order) {
    if (n < 1) {
      throw new IllegalArgumentException("top must be at least 1, not " + n);
    }
    Comparator<ProcessInfo> c = order == ProcessOrder.CPU
        ? Comparator.comparingDouble(ProcessInfo::cpuPercent).reversed()
        : Comparator.comparingDouble(ProcessInfo::memoryMb).reversed();
    return processes.stream().sorted(c).limit(n).toList();
  }
}
