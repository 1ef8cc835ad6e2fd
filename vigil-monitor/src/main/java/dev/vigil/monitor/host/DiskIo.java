package dev.vigil.monitor.host;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Block device I/O since the previous reading, summed over the physical disks, with each disk listed.
 *
 * @param devices one entry per disk (loop and RAM disks are left out)
 */
public record DiskIo(@JsonProperty("devices") List<Device> devices) {

  /** Copies the list. */
  public DiskIo {
    devices = List.copyOf(devices);
  }

  /** No disks. */
  public static DiskIo none() {
    return new DiskIo(List.of());
  }

  /** Bytes read per second, all disks. */
  @JsonProperty("read_bytes_per_sec")
  public double readBytesPerSec() {
    return Units.round2(devices.stream().mapToDouble(Device::readBytesPerSec).sum());
  }

  /** Bytes written per second, all disks. */
  @JsonProperty("write_bytes_per_sec")
  public double writeBytesPerSec() {
    return Units.round2(devices.stream().mapToDouble(Device::writeBytesPerSec).sum());
  }

  /** Read operations per second, all disks. */
  @JsonProperty("read_iops")
  public double readIops() {
    return Units.round2(devices.stream().mapToDouble(Device::readIops).sum());
  }

  /** Write operations per second, all disks. */
  @JsonProperty("write_iops")
  public double writeIops() {
    return Units.round2(devices.stream().mapToDouble(Device::writeIops).sum());
  }

  /**
   * One disk: rates over the sampling window plus the cumulative counters (for Prometheus counters).
   *
   * @param name device name, e.g. {@code /dev/vda}
   * @param readBytesPerSec bytes read per second
   * @param writeBytesPerSec bytes written per second
   * @param readIops reads per second
   * @param writeIops writes per second
   * @param readBytesTotal bytes read since boot
   * @param writeBytesTotal bytes written since boot
   * @param readsTotal reads since boot
   * @param writesTotal writes since boot
   */
  public record Device(
      @JsonProperty("name") String name,
      @JsonProperty("read_bytes_per_sec") double readBytesPerSec,
      @JsonProperty("write_bytes_per_sec") double writeBytesPerSec,
      @JsonProperty("read_iops") double readIops,
      @JsonProperty("write_iops") double writeIops,
      @JsonProperty("read_bytes_total") long readBytesTotal,
      @JsonProperty("write_bytes_total") long writeBytesTotal,
      @JsonProperty("reads_total") long readsTotal,
      @JsonProperty("writes_total") long writesTotal) {
  }
}
