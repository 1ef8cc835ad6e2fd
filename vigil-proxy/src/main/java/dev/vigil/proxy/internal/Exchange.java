package dev.vigil.proxy.internal;

import com.netflix.concurrency.limits.Limiter;
import dev.vigil.proxy.internal.RouteStatsRegistry.CacheOutcome;
import io.netty.handler.codec.http.HttpRequest;
import java.util.zip.CRC32C;

/**
 * One request through the proxy, from its head to the end of its answer: what the request log, the
 * route statistics and the admission limits need to know of it. Confined to its connection's event loop.
 */
public final class Exchange {
  final long startNanos = System.nanoTime();
  final HttpRequest request;
  final String method;
  final String path;
  final String query;
  final String client;
  String route;
  CacheOutcome cache = CacheOutcome.NONE;
  Limiter.Listener slot;
  String userId;
  boolean sampled;
  boolean credentials;
  boolean personal;
  CRC32C checksum;
  long checksumBytes;
  Long answer;
  int status;
  long bytes;

  Exchange(HttpRequest request, String method, String path, String query, String client) {
    this.request = request;
    this.method = method;
    this.path = path;
    this.query = query;
    this.client = client;
  }

  /** When the request arrived ({@link System#nanoTime()}). */
  public long startNanos() {
    return startNanos;
  }

  /** Request method. */
  public String method() {
    return method;
  }

  /** Raw request path, without the query. */
  public String path() {
    return path;
  }

  /** Raw query, or null. */
  public String query() {
    return query;
  }

  /** The client's {@code User-Agent}, or null. */
  public String userAgent() {
    return request.headers().get("User-Agent");
  }

  /** Route template. */
  public String route() {
    return route;
  }

  /** Client address. */
  public String client() {
    return client;
  }

  /** Cache outcome. */
  public CacheOutcome cache() {
    return cache;
  }

  /** User named by the upstream, or null. */
  public String userId() {
    return userId;
  }

  /** Status answered (499 when the client left before an answer began). */
  public int status() {
    return status;
  }

  /** Body bytes answered. */
  public long bytes() {
    return bytes;
  }

  /** Whether the request is kept as a sample of its route. */
  public boolean sampled() {
    return sampled;
  }

  /** Checksum of the body answered to a sampled request, or null when not taken. */
  public Long answer() {
    return answer;
  }

  /** Whether a sampled request carried Authorization or Cookie. */
  public boolean credentials() {
    return credentials;
  }

  /** Whether a sampled request's answer was personal or not storable (see {@code RouteSample}). */
  public boolean personal() {
    return personal;
  }

  /** Gives the upstream slot back: its latency counts unless the upstream was overloaded ({@code dropped}). */
  void release(boolean dropped) {
    Limiter.Listener s = slot;
    slot = null;
    if (s != null) {
      if (dropped) {
        s.onDropped();
      } else {
        s.onSuccess();
      }
    }
  }

  /** Gives the upstream slot back without its latency counting (the client failed, or nothing was sent). */
  void ignore() {
    Limiter.Listener s = slot;
    slot = null;
    if (s != null) {
      s.onIgnore();
    }
  }
}
