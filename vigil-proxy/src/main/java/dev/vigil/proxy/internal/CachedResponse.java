package dev.vigil.proxy.internal;

import java.util.List;

/**
 * A response held in the shared cache (JSON-encoded in Redis, so every Vigil node can serve it).
 *
 * @param status HTTP status
 * @param headers end-to-end headers as name, value, name, value...
 * @param body the body
 * @param storedAt epoch ms it was stored or last revalidated
 * @param freshMs how long after storedAt it is fresh
 * @param staleWhileRevalidateMs how long after freshness it may be served while a refresh runs
 * @param staleIfErrorMs how long after freshness it may be served when the upstream fails
 * @param etag the strong validator clients see (the upstream's, or one computed from the body)
 * @param upstreamEtag the upstream's own ETag (sent upstream when revalidating), or null
 * @param lastModified the upstream's Last-Modified, or null
 */
public record CachedResponse(int status, List<String> headers, byte[] body, long storedAt, long freshMs,
    long staleWhileRevalidateMs, long staleIfErrorMs, String etag, String upstreamEtag, String lastModified) {

  /** Age in seconds at {@code now}. */
  public long ageSeconds(long now) {
    return Math.max(0, (now - storedAt) / 1000);
  }

  /** Whether fresh at {@code now}. */
  public boolean fresh(long now) {
    return now - storedAt < freshMs;
  }

  /** Whether it may be served stale while revalidating at {@code now}. */
  public boolean staleWhileRevalidate(long now) {
    return now - storedAt < freshMs + staleWhileRevalidateMs;
  }

  /** Whether it may be served when the upstream fails at {@code now}. */
  public boolean staleIfError(long now) {
    return now - storedAt < freshMs + staleIfErrorMs;
  }

  /** Whether the upstream can be asked if it changed. */
  public boolean revalidatable() {
    return upstreamEtag != null || lastModified != null;
  }

  /** The same response revalidated at {@code now} with new freshness. */
  public CachedResponse renewed(long now, long fresh, long swr, long sie) {
    return new CachedResponse(status, headers, body, now, fresh, swr, sie, etag, upstreamEtag, lastModified);
  }
}
