package dev.vigil.monitor.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import org.junit.jupiter.api.Test;
import oshi.SystemInfo;
import oshi.hardware.GlobalMemory;

class LinuxProcTest {

  @Test
  void statGivesTheTotalAndEachCpuInOshisTickOrder() {
    LinuxProc.CpuTicks t = LinuxProc.parseStat("""
        cpu  264893 740 116430 354211 1062 0 20136 7 0 0
        cpu0 131416 347 56872 179983 163 0 9772 3 0 0
        cpu1 133477 393 59558 174227 899 0 10364 4 0 0
        intr 1 2 3
        ctxt 99
        """);
    assertThat(t.total()).containsExactly(264893, 740, 116430, 354211, 1062, 0, 20136, 7);
    assertThat(t.cores()).hasNumberOfRows(2);
    assertThat(t.cores()[1]).containsExactly(133477, 393, 59558, 174227, 899, 0, 10364, 4);
  }

  @Test
  void meminfoAndLoadavgInBytesAndNumbers() {
    LinuxProc.Memory m = LinuxProc.parseMeminfo("""
        MemTotal:       24683748 kB
        MemFree:        23641960 kB
        MemAvailable:   24046516 kB
        SwapTotal:       2097148 kB
        SwapFree:        1048576 kB
        """);
    assertThat(m).isEqualTo(new LinuxProc.Memory(24683748L * 1024, 24046516L * 1024, 2097148L * 1024, 1048576L * 1024));
    assertThat(LinuxProc.parseMeminfo("MemTotal: 1000 kB\n").available()).isEqualTo(-1);
    assertThat(LinuxProc.parseLoadavg("2.73 5.08 4.02 1/140 20452\n")).containsExactly(2.73, 5.08, 4.02);
  }

  @Test
  void diskAndNetworkCountersPerDeviceAndInterface() {
    assertThat(LinuxProc.parseDiskstats("   8       0 sda 100 5 2000 30 40 6 800 50 0 60 80\n"))
        .containsOnlyKeys("sda").allSatisfy((name, c) -> assertThat(c).containsExactly(100, 40, 2000 * 512, 800 * 512));
    assertThat(LinuxProc.parseNetDev("""
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
          eth0: 1000 10 1 0 0 0 0 0 2000 20 2 0 0 0 0 0
        """)).containsOnlyKeys("eth0").allSatisfy((name, c) -> assertThat(c).containsExactly(1000, 2000, 1, 2));
  }

  @Test
  void garbageIsNamed() {
    assertThatThrownBy(() -> LinuxProc.parseStat("intr 1\n")).hasMessageContaining("/proc/stat");
    assertThatThrownBy(() -> LinuxProc.parseMeminfo("Nothing: 1\n")).hasMessageContaining("MemTotal");
    assertThatThrownBy(() -> LinuxProc.parseLoadavg("x y z\n")).hasMessageContaining("/proc/loadavg");
  }

  @Test
  void thisHostAgreesWithOshi() {
    assumeThat(LinuxProc.available()).as("a Linux /proc").isTrue();
    GlobalMemory oshi = new SystemInfo().getHardware().getMemory();
    LinuxProc.Memory m = LinuxProc.memory();
    assertThat(m.total()).isEqualTo(oshi.getTotal());
    assertThat(m.swapTotal()).isEqualTo(oshi.getVirtualMemory().getSwapTotal());
    assertThat(LinuxProc.cpuTicks().cores()).hasNumberOfRows(new SystemInfo().getHardware().getProcessor()
        .getLogicalProcessorCount());
  }
}
