package dev.vigil.monitor.host;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Space on one mounted file system. {@code percent} is computed as {@code df} does it:
 * {@code used / (used + free)} where {@code free} is the space available to unprivileged users, so the
 * blocks reserved for root count neither as used nor as free.
 *
 * @param mount where it is mounted, e.g. {@code /} or {@code /var/lib/postgresql}
 * @param device the device or volume, e.g. {@code /dev/vda1}
 * @param type the file system type, e.g. {@code ext4}
 * @param totalBytes size of the file system
 * @param usedBytes bytes in use (total minus all free blocks)
 * @param freeBytes bytes an unprivileged user can still write
 */
public record FileSystemUsage(
    @JsonProperty("mount") String mount,
    @JsonProperty("device") String device,
    @JsonProperty("type") String type,
    @JsonProperty("total_bytes") long totalBytes,
    @JsonProperty("used_bytes") long usedBytes,
    @JsonProperty("free_bytes") long freeBytes) {

  /** Checks the fields. */
  public FileSystemUsage {
    Objects.requireNonNull(mount, "mount");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(type, "type");
    if (totalBytes < 0 || usedBytes < 0 || freeBytes < 0) {
      throw new IllegalArgumentException("negative size for file system " + mount);
    }
  }

  /** Percent full, {@code df} style, two decimals. */
  @JsonProperty("percent")
  public double percent() {
    return Units.percent(usedBytes, usedBytes + freeBytes);
  }

  /** Size in GiB. */
  @JsonProperty("total_gb")
  public double totalGb() {
    return Units.gib(totalBytes);
  }

  /** Used GiB. */
  @JsonProperty("used_gb")
  public double usedGb() {
    return Units.gib(usedBytes);
  }

  /** Free GiB. */
  @JsonProperty("free_gb")
  public double freeGb() {
    return Units.gib(freeBytes);
  }
}
