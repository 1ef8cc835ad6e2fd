package dev.vigil.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who the client is: the TCP peer, unless the peer is a trusted reverse proxy — then the nearest
 * address in {@code Forwarded} (RFC 7239, {@code for=}) or else {@code X-Forwarded-For} that is not a
 * trusted proxy itself, read from the right (the entries a client wrote itself are on the left and are
 * never believed past an untrusted hop). With no trusted proxies configured, forwarding headers are
 * ignored.
 */
public final class ClientAddress {
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
  private final List<Cidr> trusted;

  private record Cidr(byte[] network, int bits, String text) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private ClientAddress(List<Cidr> trusted) {
    this.trusted = trusted;
  }

  /**
   * Parses {@code server.trusted_proxies}.
   *
   * @param cidrs comma-separated addresses or CIDRs ({@code null} or blank: none)
   * @throws IllegalArgumentException naming the entry that is not an IP address or CIDR
   */
  public static ClientAddress trusting(String cidrs) {
    List<Cidr> list = new ArrayList<>();
    if (cidrs != null && !cidrs.isBlank()) {
      for (String raw : cidrs.split(",")) {
        String entry = raw.trim();
        int slash = entry.indexOf('/');
        String ip = slash < 0 ? entry : entry.substring(0, slash);
        byte[] address = parse(ip);
        if (address == null) {
          throw new IllegalArgumentException("server.trusted_proxies: '" + entry + "' is not an IP address or CIDR");
        }
        int bits;
        try {
          bits = slash < 0 ? address.length * 8 : Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("server.trusted_proxies: '" + entry + "' has a bad prefix length", e);
        }
        if (bits < 0 || bits > address.length * 8) {
          throw new IllegalArgumentException("server.trusted_proxies: '" + entry + "' has a prefix length outside 0-"
              + address.length * 8);
        }
        list.add(new Cidr(address, bits, entry));
      }
    }
    return new ClientAddress(List.copyOf(list));
  }

  /** Whether any proxy is trusted. */
  public boolean trustsAnyProxy() {
    return !trusted.isEmpty();
  }

  /**
   * The client's address.
   *
   * @param peer the TCP peer's address
   * @param forwarded the {@code Forwarded} header, or {@code null}
   * @param xForwardedFor the {@code X-Forwarded-For} header, or {@code null}
   */
  public String resolve(String peer, String forwarded, String xForwardedFor) {
    if (trusted.isEmpty() || !isTrusted(peer)) {
      return peer;
    }
    List<String> hops = forwarded != null && !forwarded.isBlank() ? forwardedFor(forwarded)
        : xForwardedFor != null ? List.of(xForwardedFor.split(",")) : List.of();
    String client = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i).trim();
      if (parse(hop) == null) {
        return client; // garbage or an obfuscated identifier: stop at the last address we could believe
      }
      client = hop;
      if (!isTrusted(hop)) {
        return hop;
      }
    }
    return client;
  }

  private boolean isTrusted(String ip) {
    byte[] address = parse(ip);
    if (address == null) {
      return false;
    }
    for (Cidr c : trusted) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The {@code for=} values of a {@code Forwarded} header, in order, unquoted, ports and brackets removed. */
  private static List<String> forwardedFor(String header) {
    List<String> out = new ArrayList<>();
    for (String element : header.split(",")) {
      for (String pair : element.split(";")) {
        String p = pair.trim();
        if (p.toLowerCase(Locale.ROOT).startsWith("for=")) {
          String v = p.substring(4).trim();
          if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) {
            v = v.substring(1, v.length() - 1);
          }
          if (v.startsWith("[")) {
            int end = v.indexOf(']');
            v = end > 0 ? v.substring(1, end) : v;
          } else if (v.indexOf(':') > 0 && v.indexOf(':') == v.lastIndexOf(':')) {
            v = v.substring(0, v.indexOf(':'));
          }
          out.add(v);
        }
      }
    }
    return out;
  }

  /** The bytes of an IP literal (never a DNS lookup), or {@code null}. */
  private static byte[] parse(String ip) {
    if (ip == null || !IP_LITERAL.matcher(ip).matches() || (ip.indexOf(':') < 0 && !ip.matches("[0-9.]+"))) {
      return null;
    }
    try {
      return InetAddress.getByName(ip).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
