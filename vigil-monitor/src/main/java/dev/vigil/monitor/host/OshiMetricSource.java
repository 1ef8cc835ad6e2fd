package dev.vigil.monitor.host;

import dev.vigil.monitor.process.ProcessInfo;
import dev.vigil.monitor.process.ProcessOrder;
import dev.vigil.monitor.process.ProcessTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.CentralProcessor.TickType;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.software.os.OSFileStore;
import oshi.software.os.OperatingSystem;

/**
 * The real host, read through OSHI, container-aware through {@link CgroupReader}.
 *
 * <p>Cheap enough to sample every second: the lists of file systems, disks and interfaces are taken
 * from OSHI every ten minutes, and at once when a device or interface comes or goes in the kernel's
 * counters; in between, sizes come from {@code statvfs} (via {@link FileStore}), and on Linux CPU
 * ticks, memory, load and disk and network counters from {@link LinuxProc}. Rates cover the time since
 * the newest earlier reading at least {@value #MIN_WINDOW_MILLIS} ms old; the source reads once when created, so
 * even its first {@link #read} is a real rate (waiting out the rest of the window if called sooner).
 *
 * <p>Real file systems only: local ones, without in-memory ({@code tmpfs}), pseudo, read-only image
 * ({@code squashfs}, {@code iso9660}) and zero-sized ones, without mounts of a single file (Docker's
 * {@code /etc/hosts}), and each device once, at its shortest mount path.
 */
public final class OshiMetricSource implements MetricSource {
  /** The shortest window a rate is measured over. */
  public static final long MIN_WINDOW_MILLIS = 500;
  private static final long RELIST_NANOS = Duration.ofMinutes(10).toNanos();
  private static final Set<String> SKIPPED_TYPES = Set.of("tmpfs", "devtmpfs", "ramfs", "squashfs", "iso9660", "udf",
      "nsfs", "autofs", "fuse.lxcfs", "fuse.snapfuse", "fuse.gvfsd-fuse", "fuse.portal", "zfs_member");
  private static final Path PROC = Path.of("/proc");

  private final HardwareAbstractionLayer hal;
  private final OperatingSystem os;
  private final CentralProcessor processor;
  private final GlobalMemory memory;
  private final CgroupReader cgroups;
  private final ProcessTable processes;
  private final CounterWindow<Counters> window = new CounterWindow<>(Duration.ofMillis(MIN_WINDOW_MILLIS));
  private final boolean procDiskstats;
  private final boolean procNetDev;
  private final boolean procPids;
  private final boolean linuxProc;
  private List<Mount> mounts = List.of();
  // device and interface names in the kernel's counters at the last listing: a change lists again
  private Names knownNames;
  private boolean relistWanted;
  private List<HWDiskStore> disks = List.of();
  private List<NetworkIF> interfaces = List.of();
  private long listedAtNanos;
  private volatile long memoryTotal;
  private final long bootTime;
  private int processCount;
  private long processCountAt;

  /** The longest a process count is reused for. */
  public static final Duration PROCESS_COUNT_SPACING = Duration.ofSeconds(5);

  /** A real file system and the store its sizes are read from. */
  private record Mount(String mount, String device, String type, FileStore store) {
  }

  /** Names of the devices and interfaces the kernel counts. */
  private record Names(Set<String> devices, Set<String> interfaces) {
  }

  /** Cumulative counters of one reading. */
  private record Counters(long[] cpu, long[][] cores, Map<String, long[]> disks, Map<String, long[]> nets,
      Long cgroupCpuNanos) {
  }

  /** The host this JVM runs on, with the cgroup of this process. */
  public OshiMetricSource() {
    this(CgroupReader.forThisProcess());
  }

  /** The host this JVM runs on, with cgroup figures from {@code cgroups}. */
  public OshiMetricSource(CgroupReader cgroups) {
    SystemInfo si = new SystemInfo();
    this.hal = si.getHardware();
    this.os = si.getOperatingSystem();
    this.processor = hal.getProcessor();
    this.memory = hal.getMemory();
    this.cgroups = cgroups;
    this.procDiskstats = LinuxProc.diskstatsAvailable();
    this.procNetDev = LinuxProc.netDevAvailable();
    this.procPids = Files.isDirectory(PROC.resolve("self")) && System.getProperty("os.name", "").startsWith("Linux");
    this.linuxProc = procPids && LinuxProc.available();
    this.memoryTotal = memory.getTotal();
    this.bootTime = os.getSystemBootTime();
    this.processes = new ProcessTable(os, () -> memoryTotal);
    synchronized (this) {
      relist();
      window.offer(System.nanoTime(), counters(cgroups.read()));
    }
  }

  @Override
  public synchronized HostMetrics read(Instant timestamp) {
    long wait = window.nanosUntilBaseline(System.nanoTime());
    if (wait > 0) {
      sleepNanos(wait);
    }
    if (relistWanted || System.nanoTime() - listedAtNanos > RELIST_NANOS) {
      relist();
    }
    Optional<CgroupReader.Snapshot> cgroup = cgroups.read();
    Counters now = counters(cgroup);
    long nowNanos = System.nanoTime();
    CounterWindow.Reading<Counters> base = window.baseline(nowNanos).orElseThrow();
    double seconds = Math.max(1e-3, (nowNanos - base.nanos()) / 1e9);
    window.offer(nowNanos, now);

    double cpuPercent = busyPercent(base.value().cpu(), now.cpu());
    List<Double> perCore = new ArrayList<>(now.cores().length);
    for (int i = 0; i < now.cores().length; i++) {
      perCore.add(i < base.value().cores().length ? busyPercent(base.value().cores()[i], now.cores()[i]) : 0.0);
    }

    LinuxProc.Memory mem = linuxProc ? LinuxProc.memory() : null;
    long hostTotal = mem != null ? mem.total() : memory.getTotal();
    long total = hostTotal;
    long available = mem != null && mem.available() >= 0 ? mem.available() : memory.getAvailable();
    long swapTotal = mem != null && mem.swapTotal() >= 0 ? mem.swapTotal() : memory.getVirtualMemory().getSwapTotal();
    long swapUsed = mem != null && mem.swapTotal() >= 0 && mem.swapFree() >= 0 ? Math.max(0, mem.swapTotal() - mem.swapFree())
        : memory.getVirtualMemory().getSwapUsed();
    ContainerLimits container = null;
    if (cgroup.isPresent()) {
      CgroupReader.Snapshot cg = cgroup.get();
      Long limit = cg.memoryLimitBytes() != null && cg.memoryLimitBytes() < hostTotal ? cg.memoryLimitBytes() : null;
      Long used = limit != null ? cg.memoryUsedBytes() : null;
      if (limit != null && used != null) {
        total = limit;
        available = Math.max(0, limit - used);
      }
      Double cores = cg.cpuLimitCores();
      if (cores != null && now.cgroupCpuNanos() != null && base.value().cgroupCpuNanos() != null) {
        double usedNanos = now.cgroupCpuNanos() - base.value().cgroupCpuNanos();
        cpuPercent = Units.round2(Math.min(100.0, Math.max(0, 100.0 * usedNanos / (seconds * 1e9 * cores))));
      }
      if (limit != null || cores != null) {
        container = new ContainerLimits(cg.version(), limit, used, cores);
      }
    }
    memoryTotal = total;

    double[] load = linuxProc ? LinuxProc.loadAverage() : processor.getSystemLoadAverage(3);
    LoadAverage loadAverage = load.length == 3 && load[0] >= 0
        ? new LoadAverage(Units.round2(load[0]), Units.round2(load[1]), Units.round2(load[2])) : null;

    return new HostMetrics(timestamp, cpuPercent, perCore, processor.getLogicalProcessorCount(), loadAverage,
        total, available, swapTotal, swapUsed,
        fileSystems(), diskIo(base.value().disks(), now.disks(), seconds), networkIo(base.value().nets(), now.nets(), seconds),
        processCount(), uptimeSeconds(), container);
  }

  @Override
  public List<ProcessInfo> topProcesses(int n, ProcessOrder order) {
    return processes.top(n, order);
  }

  /** Re-lists file systems, disks and network interfaces (they change rarely; listing is the costly part). */
  private void relist() {
    List<Mount> found = new ArrayList<>();
    for (OSFileStore fs : os.getFileSystem().getFileStores(true)) {
      String type = fs.getType().toLowerCase(Locale.ROOT);
      if (SKIPPED_TYPES.contains(type) || fs.getTotalSpace() <= 0) {
        continue;
      }
      Path mountPath = Path.of(fs.getMount());
      if (!Files.isDirectory(mountPath)) {
        continue;
      }
      try {
        found.add(new Mount(fs.getMount(), fs.getVolume(), fs.getType(), Files.getFileStore(mountPath)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open file system at " + fs.getMount(), e);
      }
    }
    found.sort(Comparator.comparingInt((Mount m) -> m.mount().length()).thenComparing(Mount::mount));
    Map<String, Mount> byDevice = new LinkedHashMap<>();
    for (Mount m : found) {
      byDevice.putIfAbsent(m.device(), m);
    }
    this.mounts = List.copyOf(byDevice.values());
    List<HWDiskStore> physical = new ArrayList<>();
    for (HWDiskStore d : hal.getDiskStores()) {
      String name = shortName(d.getName());
      if (!name.startsWith("loop") && !name.startsWith("ram")) {
        physical.add(d);
      }
    }
    this.disks = List.copyOf(physical);
    this.interfaces = List.copyOf(hal.getNetworkIFs(false));
    this.listedAtNanos = System.nanoTime();
    this.relistWanted = false;
    this.knownNames = null;
  }

  private Counters counters(Optional<CgroupReader.Snapshot> cgroup) {
    Long cgroupNanos = cgroup.map(CgroupReader.Snapshot::cpuUsageNanos).orElse(null);
    Map<String, long[]> allDisks = procDiskstats ? LinuxProc.diskstats() : Map.of();
    Map<String, long[]> allNets = procNetDev ? LinuxProc.netDev() : Map.of();
    noteNames(allDisks.keySet(), allNets.keySet());
    Map<String, long[]> disks = diskCounters(allDisks);
    Map<String, long[]> nets = netCounters(allNets);
    if (linuxProc) {
      LinuxProc.CpuTicks ticks = LinuxProc.cpuTicks();
      return new Counters(ticks.total(), ticks.cores(), disks, nets, cgroupNanos);
    }
    return new Counters(processor.getSystemCpuLoadTicks(), processor.getProcessorCpuLoadTicks(), disks, nets,
        cgroupNanos);
  }

  /** Asks for a listing at the next reading when devices or interfaces came or went since the last one. */
  private void noteNames(Set<String> devices, Set<String> interfaces) {
    if (knownNames == null) {
      knownNames = new Names(Set.copyOf(devices), Set.copyOf(interfaces));
    } else if (!knownNames.devices().equals(devices) || !knownNames.interfaces().equals(interfaces)) {
      relistWanted = true;
    }
  }

  /** The listed disks' counters: from {@code all} ({@code /proc/diskstats}) when read, else through OSHI. */
  private Map<String, long[]> diskCounters(Map<String, long[]> all) {
    Map<String, long[]> out = new HashMap<>();
    for (HWDiskStore d : disks) {
      if (procDiskstats) {
        long[] c = all.get(shortName(d.getName()));
        if (c != null) {
          out.put(d.getName(), c);
        }
      } else {
        d.updateAttributes();
        out.put(d.getName(), new long[] {d.getReads(), d.getWrites(), d.getReadBytes(), d.getWriteBytes()});
      }
    }
    return out;
  }

  /** The listed interfaces' counters: from {@code all} ({@code /proc/net/dev}) when there, else through OSHI. */
  private Map<String, long[]> netCounters(Map<String, long[]> all) {
    Map<String, long[]> out = new HashMap<>();
    for (NetworkIF n : interfaces) {
      long[] c = all.get(n.getName());
      if (c == null) {
        n.updateAttributes();
        c = new long[] {n.getBytesRecv(), n.getBytesSent(), n.getInErrors(), n.getOutErrors()};
      }
      out.put(n.getName(), c);
    }
    return out;
  }

  /** Seconds since the host booted, from the boot time OSHI read once (not a read of /proc/uptime each time). */
  private long uptimeSeconds() {
    return Math.max(0, System.currentTimeMillis() / 1000 - bootTime);
  }

  /**
   * Processes on the host, counted at most every {@link #PROCESS_COUNT_SPACING}: listing {@code /proc}
   * is the costliest read of a sample on a busy host, and the count moves slowly.
   */
  private int processCount() {
    long now = System.nanoTime();
    if (processCountAt == 0 || now - processCountAt >= PROCESS_COUNT_SPACING.toNanos()) {
      processCount = countProcesses();
      processCountAt = now;
    }
    return processCount;
  }

  /** The numeric entries of {@code /proc} (what OSHI counts, without a regex and a File per entry). */
  private int countProcesses() {
    if (!procPids) {
      return os.getProcessCount();
    }
    String[] names = PROC.toFile().list();
    if (names == null) {
      return os.getProcessCount();
    }
    int n = 0;
    for (String name : names) {
      if (isDigits(name)) {
        n++;
      }
    }
    return n;
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private List<FileSystemUsage> fileSystems() {
    List<FileSystemUsage> out = new ArrayList<>(mounts.size());
    for (Mount m : mounts) {
      try {
        long total = m.store().getTotalSpace();
        long free = m.store().getUnallocatedSpace();
        long usable = m.store().getUsableSpace();
        out.add(new FileSystemUsage(m.mount(), m.device(), m.type(), total, Math.max(0, total - free), usable));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the size of file system " + m.mount(), e);
      }
    }
    return out;
  }

  private static DiskIo diskIo(Map<String, long[]> before, Map<String, long[]> now, double seconds) {
    List<DiskIo.Device> devices = new ArrayList<>();
    now.forEach((name, c) -> {
      long[] b = before.getOrDefault(name, c);
      devices.add(new DiskIo.Device(name, rate(b[2], c[2], seconds), rate(b[3], c[3], seconds), rate(b[0], c[0], seconds),
          rate(b[1], c[1], seconds), c[2], c[3], c[0], c[1]));
    });
    devices.sort(Comparator.comparing(DiskIo.Device::name));
    return new DiskIo(devices);
  }

  private static NetworkIo networkIo(Map<String, long[]> before, Map<String, long[]> now, double seconds) {
    List<NetworkIo.Interface> list = new ArrayList<>();
    now.forEach((name, c) -> {
      long[] b = before.getOrDefault(name, c);
      list.add(new NetworkIo.Interface(name, rate(b[0], c[0], seconds), rate(b[1], c[1], seconds), rate(b[2], c[2], seconds),
          rate(b[3], c[3], seconds), c[0], c[1], c[2], c[3]));
    });
    list.sort(Comparator.comparing(NetworkIo.Interface::name));
    return new NetworkIo(list);
  }

  /** Per-second rate of a counter; a counter that went backwards (reset, wrap) counts as zero. */
  private static double rate(long before, long now, double seconds) {
    return Units.round2(Math.max(0, now - before) / seconds);
  }

  /** Busy share between two tick arrays, as OSHI computes it: all ticks but idle and I/O wait. */
  static double busyPercent(long[] before, long[] now) {
    long total = 0;
    for (int i = 0; i < now.length; i++) {
      total += now[i] - before[i];
    }
    long idle = now[TickType.IDLE.getIndex()] - before[TickType.IDLE.getIndex()]
        + now[TickType.IOWAIT.getIndex()] - before[TickType.IOWAIT.getIndex()];
    return total > 0 ? Units.round2(Math.max(0, 100.0 * (total - idle) / total)) : 0.0;
  }

  private static String shortName(String device) {
    return device.substring(device.lastIndexOf('/') + 1);
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the CPU measuring window", e);
    }
  }
}
