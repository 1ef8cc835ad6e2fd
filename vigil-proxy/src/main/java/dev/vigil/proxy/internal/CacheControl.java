package dev.vigil.proxy.internal;

import java.util.Locale;

/**
 * The response directives of {@code Cache-Control} a shared cache acts on.
 *
 * @param noStore no-store
 * @param noCache no-cache (treated as not storable)
 * @param isPrivate private
 * @param maxAge max-age in seconds, or -1
 * @param sMaxAge s-maxage in seconds, or -1
 * @param staleWhileRevalidate stale-while-revalidate in seconds, or -1
 * @param staleIfError stale-if-error in seconds, or -1
 * @param mustRevalidate must-revalidate or proxy-revalidate (no stale serving)
 */
public record CacheControl(boolean noStore, boolean noCache, boolean isPrivate, long maxAge, long sMaxAge,
    long staleWhileRevalidate, long staleIfError, boolean mustRevalidate) {

  /** Parses a header value (null gives no directives). */
  public static CacheControl parse(String value) {
    boolean noStore = false;
    boolean noCache = false;
    boolean priv = false;
    boolean must = false;
    long maxAge = -1;
    long sMaxAge = -1;
    long swr = -1;
    long sie = -1;
    if (value != null) {
      for (String part : value.split(",")) {
        String d = part.trim().toLowerCase(Locale.ROOT);
        int eq = d.indexOf('=');
        String name = eq < 0 ? d : d.substring(0, eq).trim();
        String arg = eq < 0 ? null : d.substring(eq + 1).trim().replace("\"", "");
        switch (name) {
          case "no-store" -> noStore = true;
          case "no-cache" -> noCache = true;
          case "private" -> priv = true;
          case "must-revalidate", "proxy-revalidate" -> must = true;
          case "max-age" -> maxAge = seconds(arg);
          case "s-maxage" -> sMaxAge = seconds(arg);
          case "stale-while-revalidate" -> swr = seconds(arg);
          case "stale-if-error" -> sie = seconds(arg);
          default -> { }
        }
      }
    }
    return new CacheControl(noStore, noCache, priv, maxAge, sMaxAge, swr, sie, must);
  }

  private static long seconds(String arg) {
    if (arg == null) {
      return -1;
    }
    try {
      return Math.max(0, Long.parseLong(arg));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
