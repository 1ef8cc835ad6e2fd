package dev.vigil.monitor.host;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One reading of the host. Serialized with Jackson in the documented flat shape ({@code timestamp,
 * cpu_percent, cpu_count, ram_total_gb, ram_used_gb, ram_available_gb, ram_percent, disk_total_gb,
 * disk_used_gb, disk_free_gb, disk_percent}) plus the detail fields. Percentages are 0–100.
 *
 * <p>{@code cpu_percent} is the share of all CPUs of the machine that was busy over the sampling window
 * (or of the container's CPU quota when one applies). RAM "used" is total minus available, so page
 * cache the kernel can drop counts as available. The {@code disk_*} headline fields describe the file
 * system mounted at {@code /} (the largest one when {@code /} is not listed); {@code disks} lists them all.
 *
 * @param timestamp when the reading was taken, serialized as ISO-8601 UTC
 * @param cpuPercent total CPU busy, % of the machine or of the container quota
 * @param cpuPerCorePercent busy % of each logical CPU
 * @param cpuCount logical CPUs of the host
 * @param loadAverage load averages, or {@code null} where the platform has none
 * @param ramTotalBytes physical memory (or the container's memory limit)
 * @param ramAvailableBytes memory available to new work without swapping
 * @param swapTotalBytes swap size
 * @param swapUsedBytes swap in use
 * @param disks every real file system (pseudo, in-memory and duplicate mounts skipped)
 * @param diskIo block device I/O rates
 * @param network network rates and errors
 * @param processCount number of processes
 * @param uptimeSeconds seconds since the host booted
 * @param container the cgroup limits in force, or {@code null} when none applies
 */
@JsonPropertyOrder({"timestamp", "cpu_percent", "cpu_count", "ram_total_gb", "ram_used_gb", "ram_available_gb",
    "ram_percent", "disk_total_gb", "disk_used_gb", "disk_free_gb", "disk_percent"})
public record HostMetrics(
    @JsonProperty("timestamp") @JsonSerialize(using = ToStringSerializer.class) Instant timestamp,
    @JsonProperty("cpu_percent") double cpuPercent,
    @JsonProperty("cpu_per_core_percent") List<Double> cpuPerCorePercent,
    @JsonProperty("cpu_count") int cpuCount,
    @JsonProperty("load_average") LoadAverage loadAverage,
    @JsonProperty("ram_total_bytes") long ramTotalBytes,
    @JsonProperty("ram_available_bytes") long ramAvailableBytes,
    @JsonProperty("swap_total_bytes") long swapTotalBytes,
    @JsonProperty("swap_used_bytes") long swapUsedBytes,
    @JsonProperty("disks") List<FileSystemUsage> disks,
    @JsonProperty("disk_io") DiskIo diskIo,
    @JsonProperty("network") NetworkIo network,
    @JsonProperty("process_count") int processCount,
    @JsonProperty("uptime_seconds") long uptimeSeconds,
    @JsonProperty("container") @JsonInclude(JsonInclude.Include.NON_NULL) ContainerLimits container) {

  /** Checks and copies the fields. */
  public HostMetrics {
    Objects.requireNonNull(timestamp, "timestamp");
    cpuPerCorePercent = List.copyOf(cpuPerCorePercent);
    disks = List.copyOf(disks);
    Objects.requireNonNull(diskIo, "diskIo");
    Objects.requireNonNull(network, "network");
    if (ramAvailableBytes > ramTotalBytes) {
      ramAvailableBytes = ramTotalBytes;
    }
    if (swapUsedBytes > swapTotalBytes) {
      swapUsedBytes = swapTotalBytes;
    }
  }

  /** RAM in use: total minus available. */
  @JsonProperty("ram_used_bytes")
  public long ramUsedBytes() {
    return Math.max(0, ramTotalBytes - ramAvailableBytes);
  }

  /** RAM total in GiB. */
  @JsonProperty("ram_total_gb")
  public double ramTotalGb() {
    return Units.gib(ramTotalBytes);
  }

  /** RAM used in GiB. */
  @JsonProperty("ram_used_gb")
  public double ramUsedGb() {
    return Units.gib(ramUsedBytes());
  }

  /** RAM available in GiB. */
  @JsonProperty("ram_available_gb")
  public double ramAvailableGb() {
    return Units.gib(ramAvailableBytes);
  }

  /** RAM in use, % of total. */
  @JsonProperty("ram_percent")
  public double ramPercent() {
    return Units.percent(ramUsedBytes(), ramTotalBytes);
  }

  /** Swap size in GiB. */
  @JsonProperty("swap_total_gb")
  public double swapTotalGb() {
    return Units.gib(swapTotalBytes);
  }

  /** Swap used in GiB. */
  @JsonProperty("swap_used_gb")
  public double swapUsedGb() {
    return Units.gib(swapUsedBytes);
  }

  /** Swap in use, % of swap (0 without swap). */
  @JsonProperty("swap_percent")
  public double swapPercent() {
    return Units.percent(swapUsedBytes, swapTotalBytes);
  }

  /** The headline file system: {@code /} when listed, else the largest, else none. */
  @JsonIgnore
  public Optional<FileSystemUsage> headlineDisk() {
    return disks.stream().filter(d -> d.mount().equals("/")).findFirst()
        .or(() -> disks.stream().max(Comparator.comparingLong(FileSystemUsage::totalBytes)));
  }

  /** Mount point of the headline file system, or {@code null} when there is none. */
  @JsonProperty("disk_mount")
  public String diskMount() {
    return headlineDisk().map(FileSystemUsage::mount).orElse(null);
  }

  /** Headline file system size in GiB. */
  @JsonProperty("disk_total_gb")
  public double diskTotalGb() {
    return headlineDisk().map(FileSystemUsage::totalGb).orElse(0.0);
  }

  /** Headline file system used GiB. */
  @JsonProperty("disk_used_gb")
  public double diskUsedGb() {
    return headlineDisk().map(FileSystemUsage::usedGb).orElse(0.0);
  }

  /** Headline file system free GiB. */
  @JsonProperty("disk_free_gb")
  public double diskFreeGb() {
    return headlineDisk().map(FileSystemUsage::freeGb).orElse(0.0);
  }

  /** Headline file system, % full. */
  @JsonProperty("disk_percent")
  public double diskPercent() {
    return headlineDisk().map(FileSystemUsage::percent).orElse(0.0);
  }

  /**
   * The value of one {@link Metric} in this reading, or null when the reading has none (no load average
   * on this platform, no such file system). Cheaper than {@link #values()} for one series.
   */
  public Double value(String metric) {
    switch (metric) {
      case Metric.CPU_PERCENT:
        return cpuPercent;
      case Metric.LOAD_1:
        return loadAverage == null ? null : loadAverage.oneMinute();
      case Metric.LOAD_5:
        return loadAverage == null ? null : loadAverage.fiveMinutes();
      case Metric.LOAD_15:
        return loadAverage == null ? null : loadAverage.fifteenMinutes();
      case Metric.RAM_PERCENT:
        return ramPercent();
      case Metric.SWAP_PERCENT:
        return swapPercent();
      case Metric.DISK_PERCENT:
        return disks.isEmpty() ? null : diskPercent();
      case Metric.DISK_READ:
        return diskIo.readBytesPerSec();
      case Metric.DISK_WRITE:
        return diskIo.writeBytesPerSec();
      case Metric.DISK_READ_IOPS:
        return diskIo.readIops();
      case Metric.DISK_WRITE_IOPS:
        return diskIo.writeIops();
      case Metric.NET_RX:
        return network.rxBytesPerSec();
      case Metric.NET_TX:
        return network.txBytesPerSec();
      case Metric.NET_ERRORS:
        return network.errorsPerSec();
      case Metric.PROCESS_COUNT:
        return (double) processCount;
      default:
        if (metric.startsWith(Metric.DISK_MOUNT_PREFIX)) {
          String mount = metric.substring(Metric.DISK_MOUNT_PREFIX.length());
          for (FileSystemUsage d : disks) {
            if (d.mount().equals(mount)) {
              return d.percent();
            }
          }
        }
        return null;
    }
  }

  /**
   * The scalar series of this reading by {@link Metric} name: the fixed ones plus
   * {@code disk_percent:<mount>} per file system. Load averages are absent where the platform has none.
   */
  public Map<String, Double> values() {
    Map<String, Double> v = new LinkedHashMap<>();
    for (String name : Metric.fixedNames()) {
      Double x = value(name);
      if (x != null) {
        v.put(name, x);
      }
    }
    for (FileSystemUsage d : disks) {
      v.put(Metric.diskOf(d.mount()), d.percent());
    }
    return v;
  }
}
