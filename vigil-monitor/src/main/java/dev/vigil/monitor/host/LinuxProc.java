package dev.vigil.monitor.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host figures a sample needs from three small Linux files, each read once per sample and parsed
 * without regular expressions: CPU ticks ({@code /proc/stat}), memory and swap ({@code /proc/meminfo})
 * and load averages ({@code /proc/loadavg}). OSHI reads the same files (and {@code /proc/stat} twice,
 * the load through a native call), which on a once-a-second path costs several times more.
 */
final class LinuxProc {
  private static final Path STAT = Path.of("/proc/stat");
  private static final Path MEMINFO = Path.of("/proc/meminfo");
  private static final Path LOADAVG = Path.of("/proc/loadavg");
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

  static CpuTicks cpuTicks() {
    return parseStat(read(STAT));
  }

  static Memory memory() {
    return parseMeminfo(read(MEMINFO));
  }

  static double[] loadAverage() {
    return parseLoadavg(read(LOADAVG));
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

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
