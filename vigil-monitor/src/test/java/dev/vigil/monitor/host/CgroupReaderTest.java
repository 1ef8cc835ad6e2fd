package dev.vigil.monitor.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cgroup reader over the file layouts of limited containers (cgroup v2 with a namespace, v1 as
 * Docker without one), laid out under a temporary root, and over this machine.
 */
class CgroupReaderTest {

  static void write(Path root, String path, String content) throws IOException {
    Path p = root.resolve(path.substring(1));
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  /** A cgroup v2 container: 512 MiB memory limit, half a CPU. */
  static Path v2Container(Path root, long usageUsec) throws IOException {
    write(root, "/proc/self/cgroup", "0::/\n");
    write(root, "/proc/self/mountinfo",
        "24 18 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate\n");
    write(root, "/sys/fs/cgroup/memory.max", "536870912\n");
    write(root, "/sys/fs/cgroup/memory.current", "300000000\n");
    write(root, "/sys/fs/cgroup/memory.stat", "anon 200000000\nfile 100000000\ninactive_file 31564544\nactive_file 1000\n");
    write(root, "/sys/fs/cgroup/cpu.max", "50000 100000\n");
    write(root, "/sys/fs/cgroup/cpu.stat", "usage_usec " + usageUsec + "\nuser_usec 1\nsystem_usec 1\n");
    return root;
  }

  @Test
  void readsCgroupV2Limits(@TempDir Path root) throws IOException {
    CgroupReader r = new CgroupReader(v2Container(root, 1_000_000));
    CgroupReader.Snapshot s = r.read().orElseThrow();
    assertThat(s.version()).isEqualTo(2);
    assertThat(s.memoryLimitBytes()).isEqualTo(536_870_912L);
    assertThat(s.memoryUsedBytes()).isEqualTo(300_000_000L - 31_564_544L);
    assertThat(s.cpuLimitCores()).isEqualTo(0.5);
    assertThat(s.cpuUsageNanos()).isEqualTo(1_000_000_000L);
  }

  @Test
  void usageIsReadEveryTimeWhileLimitsAreKeptForAMinute(@TempDir Path root) throws IOException {
    CgroupReader r = new CgroupReader(v2Container(root, 1_000_000));
    r.read().orElseThrow();
    write(root, "/sys/fs/cgroup/memory.max", "1073741824\n");
    write(root, "/sys/fs/cgroup/memory.current", "400000000\n");
    write(root, "/sys/fs/cgroup/cpu.stat", "usage_usec 2000000\n");
    CgroupReader.Snapshot s = r.read().orElseThrow();
    assertThat(s.memoryLimitBytes()).as("limits are read again after %s", CgroupReader.LIMITS_REFRESH)
        .isEqualTo(536_870_912L);
    assertThat(s.memoryUsedBytes()).isEqualTo(400_000_000L - 31_564_544L);
    assertThat(s.cpuUsageNanos()).isEqualTo(2_000_000_000L);
    assertThat(new CgroupReader(root).read().orElseThrow().memoryLimitBytes()).isEqualTo(1L << 30);
  }

  @Test
  void anUnlimitedGroupReadsNoUsage(@TempDir Path root) throws IOException {
    v2Container(root, 0);
    write(root, "/sys/fs/cgroup/memory.max", "max\n");
    write(root, "/sys/fs/cgroup/cpu.max", "max 100000\n");
    CgroupReader.Snapshot s = new CgroupReader(root).read().orElseThrow();
    assertThat(s.memoryUsedBytes()).as("the host's figures already say it").isNull();
    assertThat(s.cpuUsageNanos()).isNull();
  }

  @Test
  void unlimitedCgroupV2HasNoLimits(@TempDir Path root) throws IOException {
    v2Container(root, 0);
    write(root, "/sys/fs/cgroup/memory.max", "max\n");
    write(root, "/sys/fs/cgroup/cpu.max", "max 100000\n");
    CgroupReader.Snapshot s = new CgroupReader(root).read().orElseThrow();
    assertThat(s.memoryLimitBytes()).isNull();
    assertThat(s.cpuLimitCores()).isNull();
  }

  @Test
  void readsCgroupV1LimitsOfANestedGroup(@TempDir Path root) throws IOException {
    write(root, "/proc/self/cgroup", "5:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n");
    write(root, "/proc/self/mountinfo", String.join("\n",
        "30 25 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw",
        "35 30 0:31 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory",
        "36 30 0:32 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro,nosuid - cgroup cgroup rw,cpu,cpuacct", ""));
    write(root, "/sys/fs/cgroup/memory/memory.limit_in_bytes", "1073741824\n");
    write(root, "/sys/fs/cgroup/memory/memory.usage_in_bytes", "600000000\n");
    write(root, "/sys/fs/cgroup/memory/memory.stat", "cache 1\ntotal_inactive_file 100000000\n");
    write(root, "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "200000\n");
    write(root, "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
    write(root, "/sys/fs/cgroup/cpu,cpuacct/cpuacct.usage", "123456789\n");
    CgroupReader.Snapshot s = new CgroupReader(root).read().orElseThrow();
    assertThat(s.version()).isEqualTo(1);
    assertThat(s.memoryLimitBytes()).isEqualTo(1L << 30);
    assertThat(s.memoryUsedBytes()).isEqualTo(500_000_000L);
    assertThat(s.cpuLimitCores()).isEqualTo(2.0);
    assertThat(s.cpuUsageNanos()).isEqualTo(123_456_789L);
  }

  @Test
  void cgroupV1UnlimitedIsAHugeNumberOrMinusOne(@TempDir Path root) throws IOException {
    write(root, "/proc/self/cgroup", "4:memory:/\n3:cpu:/\n");
    write(root, "/proc/self/mountinfo", "35 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
        + "36 30 0:32 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n");
    write(root, "/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
    write(root, "/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "-1\n");
    write(root, "/sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000\n");
    CgroupReader.Snapshot s = new CgroupReader(root).read().orElseThrow();
    assertThat(s.memoryLimitBytes()).isNull();
    assertThat(s.cpuLimitCores()).isNull();
    assertThat(s.cpuUsageNanos()).isNull();
  }

  @Test
  void noCgroupFilesMeansNothingToReport(@TempDir Path root) {
    CgroupReader r = new CgroupReader(root);
    assertThat(r.available()).isFalse();
    assertThat(r.read()).isEmpty();
  }

  @Test
  void garbageInAControlFileIsNamed(@TempDir Path root) throws IOException {
    v2Container(root, 0);
    write(root, "/sys/fs/cgroup/memory.max", "lots\n");
    assertThatThrownBy(() -> new CgroupReader(root).read())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("memory.max").hasMessageContaining("lots");
  }

  @Test
  void readsThisMachineWithoutError() {
    CgroupReader r = CgroupReader.forThisProcess();
    r.read().ifPresent(s -> assertThat(s.version()).isIn(1, 2));
  }

  @Test
  void aLimitedContainerMakesRamAndCpuRelativeToItsLimits(@TempDir Path root) throws IOException {
    v2Container(root, 1_000_000);
    try (OshiMetricSource source = new OshiMetricSource(new CgroupReader(root))) {
      // 0.1 s of CPU used by the group while at least 0.5 s pass, at a quota of 0.5 CPU: 10–40 %
      write(root, "/sys/fs/cgroup/cpu.stat", "usage_usec 1100000\n");
      HostMetrics m = source.read(Instant.now());
      assertThat(m.container()).isNotNull();
      assertThat(m.container().memoryLimitBytes()).isEqualTo(536_870_912L);
      assertThat(m.container().cpuLimitCores()).isEqualTo(0.5);
      assertThat(m.ramTotalBytes()).isEqualTo(536_870_912L);
      assertThat(m.ramUsedBytes()).isEqualTo(300_000_000L - 31_564_544L);
      assertThat(m.ramPercent()).isCloseTo(100.0 * (300_000_000L - 31_564_544L) / 536_870_912L, within(0.01));
      assertThat(m.cpuPercent()).isBetween(10.0, 40.0);
    }
  }
}
