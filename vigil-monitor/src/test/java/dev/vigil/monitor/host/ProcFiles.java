package dev.vigil.monitor.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Independent readings of the Linux kernel's own files, to check the OSHI-based source against. */
final class ProcFiles {
  private ProcFiles() {
  }

  /** {@code /proc/meminfo} in bytes by key. */
  static Map<String, Long> meminfo() throws IOException {
    Map<String, Long> m = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      String[] f = line.split("[:\\s]+");
      if (f.length >= 2) {
        long v = Long.parseLong(f[1]);
        m.put(f[0], f.length >= 3 && f[2].equals("kB") ? v * 1024 : v);
      }
    }
    return m;
  }

  /** The first eight counters (user..steal) of the {@code cpu} line, or {@code cpuN} lines, of {@code /proc/stat}. */
  static long[] cpuTicks(String line) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/stat"))) {
      String[] f = l.trim().split("\\s+");
      if (f[0].equals(line)) {
        long[] t = new long[8];
        for (int i = 0; i < 8; i++) {
          t[i] = Long.parseLong(f[i + 1]);
        }
        return t;
      }
    }
    throw new IllegalStateException("no " + line + " line in /proc/stat");
  }

  /** Busy % between two readings of the cpu line: everything but idle (3) and iowait (4). */
  static double busyPercent(long[] a, long[] b) {
    long total = 0;
    for (int i = 0; i < 8; i++) {
      total += b[i] - a[i];
    }
    long idle = (b[3] - a[3]) + (b[4] - a[4]);
    return total == 0 ? 0 : 100.0 * (total - idle) / total;
  }

  /** How many {@code cpuN} lines {@code /proc/stat} has. */
  static int cpuLines() throws IOException {
    return (int) Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.matches("cpu\\d+ .*")).count();
  }

  /** Received and sent bytes, receive and transmit errors of {@code iface} from {@code /proc/net/dev}. */
  static long[] netDev(String iface) throws IOException {
    List<String> lines = Files.readAllLines(Path.of("/proc/net/dev"));
    for (String l : lines) {
      String t = l.trim();
      if (t.startsWith(iface + ":")) {
        String[] f = t.substring(iface.length() + 1).trim().split("\\s+");
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[8]), Long.parseLong(f[2]), Long.parseLong(f[10])};
      }
    }
    throw new IllegalStateException("no interface " + iface + " in /proc/net/dev");
  }

  /** The number of process directories under {@code /proc}. */
  static long processDirs() throws IOException {
    try (var s = Files.list(Path.of("/proc"))) {
      return s.filter(p -> p.getFileName().toString().matches("\\d+")).count();
    }
  }
}
