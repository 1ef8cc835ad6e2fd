package dev.vigil.monitor.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Linux files a host sample reads, each once per sample and parsed without regular expressions:
 * CPU ticks ({@code /proc/stat}), memory and swap ({@code /proc/meminfo}), load averages
 * ({@code /proc/loadavg}), disk counters ({@code /proc/diskstats}) and network counters
 * ({@code /proc/net/dev}). OSHI reads the same figures (from {@code /proc/stat} twice, the load through
 * a native call, each interface from about ten sysfs files), which on a once-a-second path costs
 * several times more.
 */
final class LinuxProc {
  private static final Path STAT = Path.of("/proc/stat");
  private static final Path MEMINFO = Path.of("/proc/meminfo");
  private static final Path LOADAVG = Path.of("/proc/loadavg");
  private static final Path DISKSTATS = Path.of("/proc/diskstats");
  private static final Path NET_DEV = Path.of("/proc/net/dev");
  /** Ticks kept per CPU line, in OSHI's tick order: user, nice, system, idle, iowait, irq, softirq, steal. */
  static final int TICKS = 8;

  /** Cumulative ticks of all CPUs together and of each CPU. */
  record CpuTicks(long[] total, long[][] cores) {
  }

  /** Memory and swap in bytes; -1 where the kernel does not say. */
  record Memory(long total, long available, long swapTotal, long swapFree) {
  }

  private LinuxProc() {
  }

  /** Whether the three files can be read here. */
  static boolean available() {
    return Files.isReadable(STAT) && Files.isReadable(MEMINFO) && Files.isReadable(LOADAVG);
  }

  /** Whether {@code /proc/diskstats} can be read here. */
  static boolean diskstatsAvailable() {
    return Files.isReadable(DISKSTATS);
  }

  /** Whether {@code /proc/net/dev} can be read here. */
  static boolean netDevAvailable() {
    return Files.isReadable(NET_DEV);
  }

  static CpuTicks cpuTicks() {
    return parseStat(read(STAT));
  }

  static Memory memory() {
    return parseMeminfo(read(MEMINFO));
  }

  static double[] loadAverage() {
    return parseLoadavg(read(LOADAVG));
  }

  /** Per device: reads and writes completed, bytes read and written. */
  static Map<String, long[]> diskstats() {
    return parseDiskstats(read(DISKSTATS));
  }

  /** Per interface: bytes received and sent, receive and transmit errors. */
  static Map<String, long[]> netDev() {
    return parseNetDev(read(NET_DEV));
  }

  static Map<String, long[]> parseDiskstats(String text) {
    Map<String, long[]> all = new HashMap<>();
    for (String line : text.lines().toList()) {
      String[] f = fields(line, 0);
      if (f.length >= 10) {
        // reads completed, sectors read, writes completed, sectors written; a sector here is always 512 bytes
        all.put(f[2], new long[] {Long.parseLong(f[3]), Long.parseLong(f[7]), Long.parseLong(f[5]) * 512,
            Long.parseLong(f[9]) * 512});
      }
    }
    return all;
  }

  static Map<String, long[]> parseNetDev(String text) {
    Map<String, long[]> all = new HashMap<>();
    for (String line : text.lines().toList()) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String[] f = fields(line, colon + 1);
      if (f.length >= 11) {
        // receive: bytes packets errs ...; transmit (from the ninth field): bytes packets errs ...
        all.put(line.substring(0, colon).trim(), new long[] {Long.parseLong(f[0]), Long.parseLong(f[8]),
            Long.parseLong(f[2]), Long.parseLong(f[10])});
      }
    }
    return all;
  }

  static CpuTicks parseStat(String text) {
    long[] total = null;
    List<long[]> cores = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int end = text.indexOf('\n', at);
      end = end < 0 ? text.length() : end;
      if (text.startsWith("cpu", at)) {
        int name = at + 3;
        while (name < end && text.charAt(name) != ' ') {
          name++;
        }
        long[] ticks = numbers(text, name, end, TICKS);
        if (name == at + 3) {
          total = ticks;
        } else {
          cores.add(ticks);
        }
      }
      at = end + 1;
    }
    if (total == null) {
      throw new IllegalStateException("no cpu line in " + STAT);
    }
    return new CpuTicks(total, cores.toArray(new long[0][]));
  }

  static Memory parseMeminfo(String text) {
    long total = -1;
    long available = -1;
    long swapTotal = -1;
    long swapFree = -1;
    int at = 0;
    while (at < text.length()) {
      int end = text.indexOf('\n', at);
      end = end < 0 ? text.length() : end;
      int colon = text.indexOf(':', at);
      if (colon > at && colon < end) {
        String key = text.substring(at, colon);
        switch (key) {
          case "MemTotal" -> total = kilobytes(text, colon + 1, end);
          case "MemAvailable" -> available = kilobytes(text, colon + 1, end);
          case "SwapTotal" -> swapTotal = kilobytes(text, colon + 1, end);
          case "SwapFree" -> swapFree = kilobytes(text, colon + 1, end);
          default -> { }
        }
      }
      at = end + 1;
    }
    if (total < 0) {
      throw new IllegalStateException("no MemTotal in " + MEMINFO);
    }
    return new Memory(total, available, swapTotal, swapFree);
  }

  static double[] parseLoadavg(String text) {
    double[] out = new double[3];
    int at = 0;
    for (int i = 0; i < 3; i++) {
      while (at < text.length() && text.charAt(at) == ' ') {
        at++;
      }
      int start = at;
      while (at < text.length() && text.charAt(at) != ' ' && text.charAt(at) != '\n') {
        at++;
      }
      try {
        out[i] = Double.parseDouble(text.substring(start, at));
      } catch (NumberFormatException e) {
        throw new IllegalStateException("unexpected content in " + LOADAVG + ": '" + text.trim() + "'", e);
      }
    }
    return out;
  }

  private static long kilobytes(String text, int from, int end) {
    return numbers(text, from, end, 1)[0] * 1024;
  }

  /** The first {@code n} decimal numbers between {@code from} and {@code end} (zeros for missing ones). */
  private static long[] numbers(String text, int from, int end, int n) {
    long[] out = new long[n];
    int i = from;
    for (int k = 0; k < n; k++) {
      while (i < end && (text.charAt(i) < '0' || text.charAt(i) > '9')) {
        i++;
      }
      long v = 0;
      while (i < end && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        v = v * 10 + (text.charAt(i) - '0');
        i++;
      }
      out[k] = v;
    }
    return out;
  }

  /** The whitespace-separated fields of {@code line} from {@code from} on. */
  private static String[] fields(String line, int from) {
    List<String> out = new ArrayList<>(16);
    int i = from;
    int n = line.length();
    while (i < n) {
      while (i < n && Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(line.substring(start, i));
      }
    }
    return out.toArray(new String[0]);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
