package dev.vigil.monitor.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import oshi.SystemInfo;
import oshi.software.os.OperatingSystem;

/** The process table on this Linux host, against {@code /proc/self/status} and processes the test starts. */
class ProcessTableTest {
  private static OperatingSystem os;
  private static long memTotal;
  private static ProcessTable table;

  @BeforeAll
  static void open() {
    assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux /proc");
    SystemInfo si = new SystemInfo();
    os = si.getOperatingSystem();
    memTotal = si.getHardware().getMemory().getTotal();
    table = new ProcessTable(os, () -> memTotal);
  }

  @AfterAll
  static void done() {
    table = null;
  }

  @Test
  void topByCpuIsSortedAndShaped() {
    List<ProcessInfo> top = table.top(10, ProcessOrder.CPU);
    assertThat(top).hasSizeLessThanOrEqualTo(10).isNotEmpty();
    assertThat(top).isSortedAccordingTo(Comparator.comparingDouble(ProcessInfo::cpuPercent).reversed());
    assertThat(top).allSatisfy(p -> {
      assertThat(p.pid()).isPositive();
      assertThat(p.name()).isNotBlank();
      assertThat(p.cpuPercent()).isGreaterThanOrEqualTo(0);
      assertThat(p.status()).isNotBlank();
      assertThat(p.user()).isNotBlank();
      assertThat(p.command().length()).isLessThanOrEqualTo(200);
    });
  }

  @Test
  void topByMemoryIsSortedAndThisJvmMatchesVmRss() throws IOException {
    List<ProcessInfo> top = table.top(200, ProcessOrder.MEMORY);
    assertThat(top).isSortedAccordingTo(Comparator.comparingDouble(ProcessInfo::memoryMb).reversed());
    long self = ProcessHandle.current().pid();
    ProcessInfo me = top.stream().filter(p -> p.pid() == self).findFirst().orElseThrow();
    long vmRssKb = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .map(l -> Long.parseLong(l.replaceAll("\\D+", ""))).findFirst().orElseThrow();
    double mb = vmRssKb / 1024.0;
    assertThat(me.memoryMb()).isCloseTo(mb, within(Math.max(32, mb * 0.2)));
    assertThat(me.memoryPercent()).isCloseTo(100.0 * me.memoryMb() * 1024 * 1024 / memTotal, within(0.05));
    assertThat(me.name()).isEqualTo("java");
    assertThat(me.user()).isEqualTo(System.getProperty("user.name"));
  }

  @Test
  void cpuIsRightOnTheFirstCallOfAFreshTable() {
    AtomicBoolean stop = new AtomicBoolean();
    Thread busy = busyThread(stop);
    try {
      ProcessTable fresh = new ProcessTable(os, () -> memTotal);
      long self = ProcessHandle.current().pid();
      // on a shared, loaded machine the busy thread may get far less than a core: compare with the CPU
      // it really got during the call, not with a fixed share
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpuBefore = threads.getThreadCpuTime(busy.getId());
      long wallBefore = System.nanoTime();
      ProcessInfo me = fresh.top(400, ProcessOrder.CPU).stream().filter(p -> p.pid() == self).findFirst().orElseThrow();
      double busyShare = 100.0 * (threads.getThreadCpuTime(busy.getId()) - cpuBefore) / (System.nanoTime() - wallBefore);
      System.out.printf("first call: this JVM at %.1f%% of one CPU, its busy thread got %.1f%%%n", me.cpuPercent(),
          busyShare);
      assertThat(me.cpuPercent()).isGreaterThan(0.0).isGreaterThanOrEqualTo(busyShare * 0.5);
    } finally {
      stop.set(true);
    }
  }

  @Test
  void secretsInArgumentsAreMaskedAndLongCommandsCut() throws IOException {
    Process p = new ProcessBuilder("sh", "-c", "sleep 30; true", "vigil-test", "--password=hunter2", "--token", "tok3n",
        "x".repeat(250)).start();
    try {
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        ProcessInfo info = table.top(1000, ProcessOrder.MEMORY).stream().filter(x -> x.pid() == p.pid()).findFirst()
            .orElseThrow();
        assertThat(info.command()).contains("--password=****").contains("--token ****")
            .doesNotContain("hunter2").doesNotContain("tok3n").hasSize(200).endsWith("…");
        assertThat(info.name()).isEqualTo("sh");
        assertThat(info.status()).isIn("sleeping", "running");
        assertThat(info.withProgramOnly().command()).isEqualTo("sh …");
      });
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void theOshiPathUsedOffLinuxListsTheSameProcesses() {
    ProcessTable generic = new ProcessTable(os, () -> memTotal, false);
    long self = ProcessHandle.current().pid();
    List<ProcessInfo> top = generic.top(500, ProcessOrder.MEMORY);
    assertThat(top).isSortedAccordingTo(Comparator.comparingDouble(ProcessInfo::memoryMb).reversed());
    ProcessInfo me = top.stream().filter(p -> p.pid() == self).findFirst().orElseThrow();
    ProcessInfo same = table.top(500, ProcessOrder.MEMORY).stream().filter(p -> p.pid() == self).findFirst().orElseThrow();
    assertThat(me.name()).isEqualTo(same.name());
    assertThat(me.user()).isEqualTo(same.user());
    // this JVM's resident memory moves between the two listings (heap growth, GC): a loose check
    assertThat(me.memoryMb()).isCloseTo(same.memoryMb(), within(Math.max(64, same.memoryMb() * 0.3)));
    assertThat(me.command()).isEqualTo(same.command());
  }

  @Test
  void rejectsANonPositiveTop() {
    assertThatThrownBy(() -> table.top(0, ProcessOrder.CPU)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("top").hasMessageContaining("0");
  }

  @Test
  void parsesSortNames() {
    assertThat(ProcessOrder.parse("CPU")).isEqualTo(ProcessOrder.CPU);
    assertThat(ProcessOrder.parse("memory")).isEqualTo(ProcessOrder.MEMORY);
    assertThatThrownBy(() -> ProcessOrder.parse("disk")).hasMessageContaining("'disk'");
  }

  static Thread busyThread(AtomicBoolean stop) {
    Thread t = new Thread(() -> {
      long x = 0;
      while (!stop.get()) {
        x += System.nanoTime() % 7;
      }
      if (x == 42) {
        System.out.print("");
      }
    }, "busy-core");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
