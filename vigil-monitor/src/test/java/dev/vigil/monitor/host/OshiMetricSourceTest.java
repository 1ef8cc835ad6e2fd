package dev.vigil.monitor.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OSHI source against independent readings of the same kernel counters: {@code /proc/meminfo},
 * {@code /proc/stat}, {@code statvfs} (through {@link java.nio.file.FileStore}), {@code /proc/loadavg},
 * {@code /proc/uptime}, {@code /proc/net/dev}. Tolerances are stated per test; they cover what changes
 * on a machine shared with other builds between two readings taken microseconds apart.
 */
class OshiMetricSourceTest {
  private static OshiMetricSource source;

  @BeforeAll
  static void open() {
    assumeTrue(Files.isReadable(Path.of("/proc/meminfo")), "needs Linux /proc");
    source = new OshiMetricSource();
  }

  @AfterAll
  static void close() {
    if (source != null) {
      source.close();
    }
  }

  @Test
  void memoryAgreesWithProcMeminfoWithinOnePercentOfTotal() throws IOException {
    Map<String, Long> before = ProcFiles.meminfo();
    HostMetrics m = source.read(Instant.now());
    Map<String, Long> after = ProcFiles.meminfo();
    assumeTrue(m.container() == null || m.container().memoryLimitBytes() == null, "memory is limited by a cgroup");
    long total = before.get("MemTotal");
    assertThat(m.ramTotalBytes()).isEqualTo(total);
    long tolerance = total / 100;
    long lo = Math.min(before.get("MemAvailable"), after.get("MemAvailable")) - tolerance;
    long hi = Math.max(before.get("MemAvailable"), after.get("MemAvailable")) + tolerance;
    assertThat(m.ramAvailableBytes()).isBetween(lo, hi);
    assertThat(m.ramPercent()).isCloseTo(100.0 * (total - before.get("MemAvailable")) / total, within(1.0));
    assertThat(m.swapTotalBytes()).isEqualTo(before.get("SwapTotal"));
    assertThat(m.swapUsedBytes()).isCloseTo(before.get("SwapTotal") - before.get("SwapFree"), within(tolerance));
    assertThat(m.ramTotalGb()).isEqualTo(Math.round(total / Units.GIB * 100) / 100.0);
  }

  @Test
  void cpuAgreesWithProcStatOverTheSameWindowWithinFifteenPoints() throws IOException {
    try (OshiMetricSource fresh = new OshiMetricSource()) {
      long[] a = ProcFiles.cpuTicks("cpu");
      HostMetrics m = fresh.read(Instant.now());
      long[] b = ProcFiles.cpuTicks("cpu");
      double independent = ProcFiles.busyPercent(a, b);
      System.out.printf("cpu_percent=%.2f /proc/stat=%.2f%n", m.cpuPercent(), independent);
      assertThat(m.cpuPercent()).isBetween(0.0, 100.0).isCloseTo(independent, within(15.0));
      assertThat(m.cpuCount()).isEqualTo(ProcFiles.cpuLines()).isEqualTo(Runtime.getRuntime().availableProcessors());
      assertThat(m.cpuPerCorePercent()).hasSize(m.cpuCount()).allSatisfy(p -> assertThat(p).isBetween(0.0, 100.0));
    }
  }

  @Test
  void rootFileSystemAgreesWithStatvfsAndPseudoMountsAreSkipped() throws IOException {
    HostMetrics m = source.read(Instant.now());
    var statvfs = Files.getFileStore(Path.of("/"));
    FileSystemUsage root = m.disks().stream().filter(d -> d.mount().equals("/")).findFirst().orElseThrow();
    assertThat(root.totalBytes()).isEqualTo(statvfs.getTotalSpace());
    long used = statvfs.getTotalSpace() - statvfs.getUnallocatedSpace();
    long tolerance = statvfs.getTotalSpace() / 100;
    assertThat(root.usedBytes()).isCloseTo(used, within(tolerance));
    assertThat(root.freeBytes()).isCloseTo(statvfs.getUsableSpace(), within(tolerance));
    assertThat(root.percent()).isCloseTo(100.0 * used / (used + statvfs.getUsableSpace()), within(1.0));
    assertThat(m.diskPercent()).isEqualTo(root.percent());
    assertThat(m.diskMount()).isEqualTo("/");
    assertThat(m.disks()).extracting(FileSystemUsage::type)
        .doesNotContain("tmpfs", "devtmpfs", "proc", "sysfs", "cgroup", "cgroup2", "squashfs", "devpts");
    assertThat(m.disks()).extracting(FileSystemUsage::device).doesNotHaveDuplicates();
    assertThat(m.disks()).allSatisfy(d -> assertThat(Path.of(d.mount())).isDirectory());
  }

  @Test
  void loadUptimeAndProcessCountAgreeWithProc() throws IOException {
    String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
    double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).trim().split("\\s+")[0]);
    long dirs = ProcFiles.processDirs();
    HostMetrics m = source.read(Instant.now());
    assertThat(m.loadAverage()).isNotNull();
    assertThat(m.loadAverage().oneMinute()).isCloseTo(Double.parseDouble(load[0]), within(0.5));
    assertThat(m.loadAverage().fifteenMinutes()).isCloseTo(Double.parseDouble(load[2]), within(0.2));
    assertThat((double) m.uptimeSeconds()).isCloseTo(uptime, within(3.0));
    assertThat((double) m.processCount()).isCloseTo(dirs, within(Math.max(10, dirs * 0.1)));
  }

  @Test
  void diskCountersSeeAFileWrittenAndSynced(@TempDir Path dir) throws IOException {
    HostMetrics before = source.read(Instant.now());
    assumeTrue(!before.diskIo().devices().isEmpty(), "no block device visible");
    byte[] chunk = new byte[1 << 20];
    ThreadLocalRandom.current().nextBytes(chunk);
    try (FileChannel ch = FileChannel.open(dir.resolve("blob"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (int i = 0; i < 32; i++) {
        ch.write(ByteBuffer.wrap(chunk));
      }
      ch.force(true);
    }
    HostMetrics after = source.read(Instant.now());
    long written = after.diskIo().devices().stream().mapToLong(DiskIo.Device::writeBytesTotal).sum()
        - before.diskIo().devices().stream().mapToLong(DiskIo.Device::writeBytesTotal).sum();
    long writes = after.diskIo().devices().stream().mapToLong(DiskIo.Device::writesTotal).sum()
        - before.diskIo().devices().stream().mapToLong(DiskIo.Device::writesTotal).sum();
    assertThat(written).isGreaterThanOrEqualTo(30L << 20);
    assertThat(writes).isPositive();
    assertThat(after.diskIo().writeBytesPerSec()).isGreaterThan(0);
    assertThat(after.diskIo().devices()).extracting(DiskIo.Device::name)
        .noneMatch(n -> n.contains("loop") || n.matches(".*/ram\\d+"));
  }

  @Test
  void networkCountersAgreeWithProcNetDev() throws IOException {
    HostMetrics probe = source.read(Instant.now());
    assumeTrue(!probe.network().interfaces().isEmpty(), "no network interface with a hardware address");
    String name = probe.network().interfaces().get(0).name();
    long[] a = ProcFiles.netDev(name);
    HostMetrics m = source.read(Instant.now());
    long[] b = ProcFiles.netDev(name);
    NetworkIo.Interface i = m.network().interfaces().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    assertThat(i.rxBytesTotal()).isBetween(a[0], b[0]);
    assertThat(i.txBytesTotal()).isBetween(a[1], b[1]);
    assertThat(i.rxErrorsTotal()).isBetween(a[2], b[2]);
    assertThat(i.txErrorsTotal()).isBetween(a[3], b[3]);
    assertThat(m.network().interfaces()).extracting(NetworkIo.Interface::name).doesNotContain("lo");
    assertThat(i.rxBytesPerSec()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void valuesNameEveryFixedMetricAndOneSeriesPerFileSystem() {
    HostMetrics m = source.read(Instant.now());
    Map<String, Double> v = m.values();
    assertThat(v.keySet()).containsAll(Set.copyOf(Metric.fixedNames()));
    assertThat(v).containsKey(Metric.diskOf("/"));
    assertThat(v.keySet()).allSatisfy(k -> assertThat(Metric.isKnown(k)).isTrue());
    v.forEach((k, value) -> assertThat(m.value(k)).as(k).isEqualTo(value));
    assertThat(m.value("disk_percent:/no/such/mount")).isNull();
  }
}
