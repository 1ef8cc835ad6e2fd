package dev.vigil.monitor.host;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Network traffic and errors since the previous reading, summed over the interfaces, each listed.
 *
 * @param interfaces one entry per interface (loopback and interfaces without a hardware address are
 *     left out)
 */
public record NetworkIo(@JsonProperty("interfaces") List<Interface> interfaces) {

  /** Copies the list. */
  public NetworkIo {
    interfaces = List.copyOf(interfaces);
  }

  /** No interfaces. */
  public static NetworkIo none() {
    return new NetworkIo(List.of());
  }

  /** Bytes received per second, all interfaces. */
  @JsonProperty("rx_bytes_per_sec")
  public double rxBytesPerSec() {
    return Units.round2(interfaces.stream().mapToDouble(Interface::rxBytesPerSec).sum());
  }

  /** Bytes sent per second, all interfaces. */
  @JsonProperty("tx_bytes_per_sec")
  public double txBytesPerSec() {
    return Units.round2(interfaces.stream().mapToDouble(Interface::txBytesPerSec).sum());
  }

  /** Receive plus transmit errors per second, all interfaces. */
  @JsonProperty("errors_per_sec")
  public double errorsPerSec() {
    return Units.round2(interfaces.stream().mapToDouble(i -> i.rxErrorsPerSec() + i.txErrorsPerSec()).sum());
  }

  /**
   * One interface: rates over the sampling window plus the cumulative counters.
   *
   * @param name interface name, e.g. {@code eth0}
   * @param rxBytesPerSec bytes received per second
   * @param txBytesPerSec bytes sent per second
   * @param rxErrorsPerSec receive errors per second
   * @param txErrorsPerSec transmit errors per second
   * @param rxBytesTotal bytes received since the interface came up
   * @param txBytesTotal bytes sent since the interface came up
   * @param rxErrorsTotal receive errors since the interface came up
   * @param txErrorsTotal transmit errors since the interface came up
   */
  public record Interface(
      @JsonProperty("name") String name,
      @JsonProperty("rx_bytes_per_sec") double rxBytesPerSec,
      @JsonProperty("tx_bytes_per_sec") double txBytesPerSec,
      @JsonProperty("rx_errors_per_sec") double rxErrorsPerSec,
      @JsonProperty("tx_errors_per_sec") double txErrorsPerSec,
      @JsonProperty("rx_bytes_total") long rxBytesTotal,
      @JsonProperty("tx_bytes_total") long txBytesTotal,
      @JsonProperty("rx_errors_total") long rxErrorsTotal,
      @JsonProperty("tx_errors_total") long txErrorsTotal) {
  }
}
