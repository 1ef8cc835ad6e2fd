package dev.vigil.monitor.host;

import dev.vigil.monitor.process.ProcessInfo;
import dev.vigil.monitor.process.ProcessOrder;
import java.time.Instant;
import java.util.List;

/**
 * Where {@link dev.vigil.monitor.SystemMonitor} gets its readings: the real host through OSHI
 * ({@link OshiMetricSource}), or a source a test steers, the one place where the real host cannot be
 * made to run hot or fill its disk on demand. Implementations are thread-safe.
 */
public interface MetricSource extends AutoCloseable {

  /**
   * Reads the host now. Rates (CPU, disk and network I/O) cover the time since an earlier reading; an
   * implementation may wait briefly so that this window is not too short to mean anything.
   *
   * @param timestamp the time to stamp the reading with (from the monitor's clock)
   */
  HostMetrics read(Instant timestamp);

  /**
   * The {@code n} processes using the most CPU (or memory), most first, with CPU % as a share of one
   * logical CPU.
   *
   * @throws IllegalArgumentException when {@code n < 1}
   */
  List<ProcessInfo> topProcesses(int n, ProcessOrder order);

  /** Releases what the source holds; the default holds nothing. */
  @Override
  default void close() {
  }
}
