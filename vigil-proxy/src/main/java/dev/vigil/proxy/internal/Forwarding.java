package dev.vigil.proxy.internal;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The headers a request takes to the upstream and an answer takes back: hop-by-hop headers (RFC 9110
 * §7.6.1) and those the {@code Connection} header lists are dropped both ways, the client's own
 * forwarding headers are kept only from trusted proxies, and {@code X-Forwarded-For/Proto/Host} and
 * {@code Forwarded} name this hop.
 */
final class Forwarding {
  private static final List<AsciiString> HOP_BY_HOP = names("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");
  private static final List<AsciiString> FORWARDING = names("x-forwarded-for", "x-forwarded-proto",
      "x-forwarded-host", "x-forwarded-server", "x-forwarded-port", "forwarded", "x-real-ip");
  /** Request headers this hop sets itself ({@code Host}) or answers itself ({@code Expect}). */
  private static final List<AsciiString> OWN = names("host", "expect");
  /** Names a request never takes upstream as the client sent them (a case-insensitive set). */
  private static final HttpHeaders NOT_FORWARDED = nameSet(HOP_BY_HOP, OWN);
  /** The same, plus the forwarding headers, for a client that is not a trusted proxy. */
  private static final HttpHeaders NOT_FORWARDED_UNTRUSTED = nameSet(HOP_BY_HOP, OWN, FORWARDING);

  private final Cidrs trusted;
  private final boolean preserveHost;
  private final String upstreamHost;

  Forwarding(Cidrs trusted, boolean preserveHost, String upstreamHost) {
    this.trusted = trusted;
    this.preserveHost = preserveHost;
    this.upstreamHost = upstreamHost;
  }

  /** The upstream's own {@code host[:port]}. */
  String upstreamHost() {
    return upstreamHost;
  }

  /** Whether {@code peer} is a proxy whose forwarding headers are believed. */
  boolean trusted(String peer) {
    return trusted.contains(peer);
  }

  /**
   * The headers of a request going upstream. {@code upgrade} keeps {@code Connection: Upgrade} and
   * {@code Upgrade} for a WebSocket handshake.
   */
  HttpHeaders toUpstream(HttpHeaders in, String peer, boolean upgrade) {
    boolean trustedPeer = trusted(peer);
    HttpHeaders dropped = trustedPeer ? NOT_FORWARDED : NOT_FORWARDED_UNTRUSTED;
    Set<String> listed = connectionListed(in);
    HttpHeaders out = new DefaultHttpHeaders(false);
    // one pass over the client's headers, each name looked up once (no copy-then-remove)
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence(); it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      CharSequence name = e.getKey();
      if (dropped.contains(name) || !listed.isEmpty() && listedOtherThanLength(listed, name)) {
        continue;
      }
      out.add(name, e.getValue());
    }
    if (upgrade) {
      out.set("Connection", "Upgrade");
      out.set("Upgrade", in.get("Upgrade"));
    }
    String te = in.get("Transfer-Encoding");
    if (te != null) {
      out.set("Transfer-Encoding", te);
    }
    String host = in.get("Host");
    out.set("Host", preserveHost && host != null ? host : upstreamHost);
    String xff = trustedPeer ? join(in.getAll("X-Forwarded-For")) : "";
    out.set("X-Forwarded-For", xff.isEmpty() ? peer : xff + ", " + peer);
    out.set("X-Forwarded-Proto", proto(in, trustedPeer));
    String forwardedHost = host(in, trustedPeer);
    if (forwardedHost != null) {
      out.set("X-Forwarded-Host", forwardedHost);
    } else {
      out.remove("X-Forwarded-Host");
    }
    String node = "for=" + quoteNode(peer) + ";proto=http" + (host != null ? ";host=\"" + host.replace("\"", "") + "\"" : "");
    String fwd = trustedPeer ? join(in.getAll("Forwarded")) : "";
    out.set("Forwarded", fwd.isEmpty() ? node : fwd + ", " + node);
    out.set("Via", "1.1 vigil");
    return out;
  }

  /** Drops an answer's hop-by-hop headers (but {@code Transfer-Encoding}) and those its {@code Connection} lists. */
  static void fromUpstream(HttpHeaders h) {
    Set<String> listed = connectionListed(h);
    for (AsciiString name : HOP_BY_HOP) {
      if (!name.contentEqualsIgnoreCase(HttpHeaderNames.TRANSFER_ENCODING)) {
        h.remove(name);
      }
    }
    for (String name : listed) {
      h.remove(name);
    }
  }

  /** {@code proto://host} as the upstream is told of it, lower case, for the cache key. */
  String origin(HttpHeaders in, String peer) {
    boolean trustedPeer = trusted(peer);
    String host = host(in, trustedPeer);
    return (proto(in, trustedPeer) + "://" + (host == null ? "" : host)).toLowerCase(Locale.ROOT);
  }

  /** The client's address: the peer, or the last untrusted {@code X-Forwarded-For} hop behind trusted proxies. */
  String client(HttpHeaders in, String peer) {
    if (!trusted(peer)) {
      return peer;
    }
    String xff = join(in.getAll("X-Forwarded-For"));
    if (xff.isEmpty()) {
      return peer;
    }
    String[] hops = xff.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!trusted(hop)) {
        return hop.length() > 64 ? hop.substring(0, 64) : hop;
      }
    }
    return hops[0].trim();
  }

  private static String proto(HttpHeaders in, boolean trustedPeer) {
    String xfp = trustedPeer ? in.get("X-Forwarded-Proto") : null;
    return xfp != null ? xfp : "http";
  }

  private static String host(HttpHeaders in, boolean trustedPeer) {
    String xfh = trustedPeer ? in.get("X-Forwarded-Host") : null;
    return xfh != null ? xfh : in.get("Host");
  }

  /** Whether {@code Connection} lists {@code name}; never Content-Length: the body's framing is not the client's to drop. */
  private static boolean listedOtherThanLength(Set<String> listed, CharSequence name) {
    String n = name.toString().toLowerCase(Locale.ROOT);
    return listed.contains(n) && !n.equals("content-length");
  }

  static Set<String> connectionListed(HttpHeaders h) {
    List<String> values = h.getAll("Connection");
    if (values.isEmpty()) {
      return Set.of();
    }
    Set<String> out = new HashSet<>();
    for (String v : values) {
      for (String name : v.split(",")) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (!n.isEmpty()) {
          out.add(n);
        }
      }
    }
    return out;
  }

  @SafeVarargs
  private static HttpHeaders nameSet(List<AsciiString>... lists) {
    HttpHeaders set = new DefaultHttpHeaders(false);
    for (List<AsciiString> names : lists) {
      for (AsciiString n : names) {
        set.add(n, "");
      }
    }
    return set;
  }

  private static List<AsciiString> names(String... names) {
    List<AsciiString> out = new ArrayList<>();
    for (String n : names) {
      out.add(AsciiString.cached(n));
    }
    return List.copyOf(out);
  }

  private static String quoteNode(String addr) {
    return addr.indexOf(':') >= 0 ? "\"[" + addr + "]\"" : addr;
  }

  private static String join(List<String> values) {
    StringBuilder sb = new StringBuilder();
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        if (sb.length() > 0) {
          sb.append(", ");
        }
        sb.append(v.trim());
      }
    }
    return sb.toString();
  }
}
