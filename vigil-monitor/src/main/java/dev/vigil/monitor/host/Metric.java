package dev.vigil.monitor.host;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named scalar series taken from every {@link HostMetrics} reading: what history, roll-ups, trends
 * and anomaly detection work on. The fixed names below plus one {@code disk_percent:<mount>} series per
 * real file system.
 *
 * @param name the series name, e.g. {@code cpu_percent} or {@code disk_percent:/var}
 * @param label how a sentence names it, e.g. {@code CPU} or {@code disk /var}
 * @param unit the unit suffix in sentences: {@code %}, {@code B/s}, {@code ops/s} or empty
 * @param noiseFloor the smallest spread the anomaly detector assumes for this series, so that a flat
 *     series (an idle disk at 0 B/s) does not turn every small movement into an anomaly
 */
public record Metric(String name, String label, String unit, double noiseFloor) {
  /** Total CPU use, % of the machine (or of the container's CPU quota). */
  public static final String CPU_PERCENT = "cpu_percent";
  /** Load average over one minute. */
  public static final String LOAD_1 = "load_1";
  /** Load average over five minutes. */
  public static final String LOAD_5 = "load_5";
  /** Load average over fifteen minutes. */
  public static final String LOAD_15 = "load_15";
  /** RAM in use, % of total (or of the container's memory limit). */
  public static final String RAM_PERCENT = "ram_percent";
  /** Swap in use, % of swap. */
  public static final String SWAP_PERCENT = "swap_percent";
  /** The headline file system ({@code /} when mounted), % full. */
  public static final String DISK_PERCENT = "disk_percent";
  /** Bytes read per second, all disks. */
  public static final String DISK_READ = "disk_read_bytes_per_sec";
  /** Bytes written per second, all disks. */
  public static final String DISK_WRITE = "disk_write_bytes_per_sec";
  /** Reads per second, all disks. */
  public static final String DISK_READ_IOPS = "disk_read_iops";
  /** Writes per second, all disks. */
  public static final String DISK_WRITE_IOPS = "disk_write_iops";
  /** Bytes received per second, all interfaces. */
  public static final String NET_RX = "net_rx_bytes_per_sec";
  /** Bytes sent per second, all interfaces. */
  public static final String NET_TX = "net_tx_bytes_per_sec";
  /** Network errors per second, all interfaces. */
  public static final String NET_ERRORS = "net_errors_per_sec";
  /** Number of processes. */
  public static final String PROCESS_COUNT = "process_count";
  /** Prefix of the per-file-system series: {@code disk_percent:<mount>}. */
  public static final String DISK_MOUNT_PREFIX = "disk_percent:";

  private static final Map<String, Metric> FIXED = new LinkedHashMap<>();

  static {
    fixed(CPU_PERCENT, "CPU", "%", 1.0);
    fixed(LOAD_1, "load (1 min)", "", 0.2);
    fixed(LOAD_5, "load (5 min)", "", 0.1);
    fixed(LOAD_15, "load (15 min)", "", 0.05);
    fixed(RAM_PERCENT, "RAM", "%", 0.5);
    fixed(SWAP_PERCENT, "swap", "%", 0.5);
    fixed(DISK_PERCENT, "disk", "%", 0.2);
    fixed(DISK_READ, "disk reads", "B/s", 512 * 1024);
    fixed(DISK_WRITE, "disk writes", "B/s", 512 * 1024);
    fixed(DISK_READ_IOPS, "disk read operations", "ops/s", 20);
    fixed(DISK_WRITE_IOPS, "disk write operations", "ops/s", 20);
    fixed(NET_RX, "network receive", "B/s", 256 * 1024);
    fixed(NET_TX, "network send", "B/s", 256 * 1024);
    fixed(NET_ERRORS, "network errors", "/s", 1);
    fixed(PROCESS_COUNT, "process count", "", 3);
  }

  private static final List<String> FIXED_NAMES = List.copyOf(FIXED.keySet());

  private static void fixed(String name, String label, String unit, double floor) {
    FIXED.put(name, new Metric(name, label, unit, floor));
  }

  /** Checks the fields. */
  public Metric {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(unit, "unit");
    if (!(noiseFloor > 0)) {
      throw new IllegalArgumentException("noise floor of " + name + " must be positive: " + noiseFloor);
    }
  }

  /**
   * The metric called {@code name}.
   *
   * @throws IllegalArgumentException naming the unknown metric and the known ones
   */
  public static Metric of(String name) {
    Objects.requireNonNull(name, "metric");
    Metric m = FIXED.get(name);
    if (m != null) {
      return m;
    }
    if (name.startsWith(DISK_MOUNT_PREFIX) && name.length() > DISK_MOUNT_PREFIX.length()) {
      return new Metric(name, "disk " + name.substring(DISK_MOUNT_PREFIX.length()), "%", 0.2);
    }
    throw new IllegalArgumentException("unknown metric '" + name + "'; known metrics are " + String.join(", ", FIXED.keySet())
        + " and " + DISK_MOUNT_PREFIX + "<mount>");
  }

  /** Whether {@code name} names a metric. */
  public static boolean isKnown(String name) {
    return name != null && (FIXED.containsKey(name)
        || name.startsWith(DISK_MOUNT_PREFIX) && name.length() > DISK_MOUNT_PREFIX.length());
  }

  /** The series of one file system. */
  public static String diskOf(String mount) {
    return DISK_MOUNT_PREFIX + mount;
  }

  /** The fixed series names, in a stable order. */
  public static List<String> fixedNames() {
    return FIXED_NAMES;
  }

  /** Whether this series is a percentage (0–100). */
  public boolean isPercent() {
    return "%".equals(unit);
  }
}
