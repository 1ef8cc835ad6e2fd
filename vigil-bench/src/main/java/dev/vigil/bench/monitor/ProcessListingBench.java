package dev.vigil.bench.monitor;

import dev.vigil.bench.BenchLine;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.health.Thresholds;
import dev.vigil.monitor.process.ProcessInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * {@code monitor.processes}: latency of Vigil's top-10 process listing ({@link SystemMonitor#processMetrics})
 * against OSHI's plain full {@code OperatingSystem.getProcesses()}, in the same JVM, calls interleaved so
 * both see the same machine. Prints p95 (the compared figure) and p50 of each.
 *
 * <p>Usage: {@code java -cp $BENCH_JAR dev.vigil.bench.monitor.ProcessListingBench [calls] [warmup]}
 * (defaults 300 and 50). Goal: Vigil p95 at most 50 ms and a ratio of at least 2.
 */
public final class ProcessListingBench {
  private ProcessListingBench() {
  }

  /** Runs the case and prints one BENCH line. */
  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    OperatingSystem os = new SystemInfo().getOperatingSystem();
    try (SystemMonitor monitor = new SystemMonitor(Thresholds.defaults())) {
      int shown = 0;
      int listed = 0;
      for (int i = 0; i < warmup; i++) {
        shown = monitor.processMetrics(10).size();
        listed = os.getProcesses().size();
      }
      long[] vigil = new long[calls];
      long[] oshi = new long[calls];
      for (int i = 0; i < calls; i++) {
        long t0 = System.nanoTime();
        List<ProcessInfo> top = monitor.processMetrics(10);
        long t1 = System.nanoTime();
        List<OSProcess> all = os.getProcesses();
        long t2 = System.nanoTime();
        vigil[i] = t1 - t0;
        oshi[i] = t2 - t1;
        shown = top.size();
        listed = all.size();
      }
      double vigilP95 = percentileMillis(vigil, 0.95);
      double oshiP95 = percentileMillis(oshi, 0.95);
      Map<String, Object> extras = new LinkedHashMap<>();
      extras.put("stat", "p95");
      extras.put("vigil_p50", String.format(Locale.ROOT, "%.2fms", percentileMillis(vigil, 0.50)));
      extras.put("baseline_p50", String.format(Locale.ROOT, "%.2fms", percentileMillis(oshi, 0.50)));
      extras.put("processes", listed);
      extras.put("shown", shown);
      extras.put("calls", calls);
      extras.put("baseline_is", "oshi-getProcesses");
      extras.put("goal", "vigil<=50ms,ratio>=2");
      BenchLine.print("monitor.processes", vigilP95, oshiP95, "ms", BenchLine.Better.LOWER, extras);
    }
  }

  private static double percentileMillis(long[] nanos, double p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }
}
