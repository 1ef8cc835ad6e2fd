package dev.vigil.proxy.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** A list of CIDR blocks (IPv4 and IPv6) an address can be tested against. */
public final class Cidrs {
  private record Block(byte[] network, int bits) {
  }

  private final List<Block> blocks = new ArrayList<>();

  /**
   * Parses blocks such as {@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code ::1/128}.
   *
   * @throws IllegalArgumentException naming the entry that is not a CIDR of literal addresses
   */
  public Cidrs(List<String> cidrs) {
    for (String c : cidrs) {
      String s = c.trim();
      int slash = s.indexOf('/');
      String addr = slash < 0 ? s : s.substring(0, slash);
      if (!addr.matches("[0-9a-fA-F:.]+")) {
        throw new IllegalArgumentException("proxy.trusted_proxies: '" + c + "' is not an address or CIDR");
      }
      byte[] bytes;
      try {
        bytes = InetAddress.getByName(addr).getAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("proxy.trusted_proxies: '" + c + "' is not an address or CIDR", e);
      }
      int bits;
      try {
        bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("proxy.trusted_proxies: '" + c + "' has a bad prefix length", e);
      }
      if (bits < 0 || bits > bytes.length * 8) {
        throw new IllegalArgumentException("proxy.trusted_proxies: '" + c + "' has a prefix length out of range");
      }
      blocks.add(new Block(bytes, bits));
    }
  }

  /** Whether no block is configured. */
  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** Whether a literal address lies in one of the blocks (false for anything that is not a literal address). */
  public boolean contains(String address) {
    if (blocks.isEmpty() || address == null || !address.matches("[0-9a-fA-F:.\\[\\]]+")) {
      return false;
    }
    byte[] a;
    try {
      a = InetAddress.getByName(address.replace("[", "").replace("]", "")).getAddress();
    } catch (UnknownHostException e) {
      return false;
    }
    for (Block b : blocks) {
      if (b.network.length == a.length && prefixEquals(b.network, a, b.bits)) {
        return true;
      }
    }
    return false;
  }

  private static boolean prefixEquals(byte[] x, byte[] y, int bits) {
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (x[i] != y[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (x[full] & mask) == (y[full] & mask);
  }
}
