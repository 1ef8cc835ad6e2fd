package dev.vigil.proxy.internal;

import dev.vigil.proxy.RouteSample;
import dev.vigil.proxy.internal.RouteStatsRegistry.CacheOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded history of one route's requests, for measuring a change against its baseline: at most one
 * request per {@link #SPACING_MS} is admitted as a sample (so the history reaches back
 * {@value #CAPACITY} × {@value #SPACING_MS} ms at least, however busy the route), each with its latency,
 * status, cache outcome and whether its answer differed from the previous sampled answer to the same URL
 * (a cheap body checksum). Requests that are not admitted cost one read of a timestamp.
 */
final class RouteSamples {
  /** Most samples kept per route. */
  static final int CAPACITY = 4096;
  /** Least time between two samples of a route, in ms of the proxy's clock. */
  static final long SPACING_MS = 250;
  /** Most URLs per route whose last answer checksum is remembered. */
  static final int MAX_URLS = 128;
  private static final int INITIAL = 64;
  private static final byte GET = 1;
  private static final byte HEAD = 2;
  private static final byte CREDENTIALS = 4;
  private static final byte PERSONAL = 8;
  private static final byte CHANGED = 16;
  private static final byte SAME = 32;

  private final AtomicLong lastAdmitted = new AtomicLong(Long.MIN_VALUE / 2);
  private long[] at = new long[INITIAL];
  private float[] ms = new float[INITIAL];
  private short[] status = new short[INITIAL];
  private byte[] flags = new byte[INITIAL];
  private byte[] cache = new byte[INITIAL];
  private int next;
  private int size;
  private final Map<String, Long> lastAnswer = new HashMap<>();

  /** Whether a request arriving at {@code nowMs} is sampled (at most one per {@link #SPACING_MS}). */
  boolean admit(long nowMs) {
    long last = lastAdmitted.get();
    return nowMs - last >= SPACING_MS && lastAdmitted.compareAndSet(last, nowMs);
  }

  /**
   * Records one sampled request.
   *
   * @param url path and query, to compare answers to the same URL
   * @param answer checksum of the body answered, or null when not taken (HEAD, error, too large)
   */
  synchronized void add(long atMs, String method, int statusCode, double latencyMs, CacheOutcome outcome, String url,
      Long answer, boolean credentials, boolean personal) {
    byte f = "GET".equals(method) ? GET : "HEAD".equals(method) ? HEAD : 0;
    if (credentials) {
      f |= CREDENTIALS;
    }
    if (personal) {
      f |= PERSONAL;
    }
    if (answer != null) {
      Long previous = lastAnswer.get(url);
      if (previous != null) {
        f |= previous.longValue() == answer.longValue() ? SAME : CHANGED;
      }
      if (previous != null || lastAnswer.size() < MAX_URLS) {
        lastAnswer.put(url, answer);
      }
    }
    if (size == at.length && at.length < CAPACITY) {
      grow(Math.min(CAPACITY, at.length * 2));
    }
    at[next] = atMs;
    ms[next] = (float) latencyMs;
    status[next] = (short) statusCode;
    flags[next] = f;
    cache[next] = (byte) outcome.ordinal();
    next = (next + 1) % at.length;
    size = Math.min(size + 1, at.length);
  }

  /** The samples taken in {@code [fromMs, toMs)}, oldest first. */
  synchronized List<RouteSample> between(long fromMs, long toMs) {
    List<RouteSample> out = new ArrayList<>();
    int start = (next - size + at.length) % at.length;
    CacheOutcome[] outcomes = CacheOutcome.values();
    for (int i = 0; i < size; i++) {
      int k = (start + i) % at.length;
      if (at[k] < fromMs || at[k] >= toMs) {
        continue;
      }
      byte f = flags[k];
      CacheOutcome c = outcomes[cache[k]];
      out.add(new RouteSample(Instant.ofEpochMilli(at[k]), (f & GET) != 0 ? "GET" : (f & HEAD) != 0 ? "HEAD" : "OTHER",
          status[k], ms[k], c == CacheOutcome.NONE ? null : c.name().replace('_', '-'),
          (f & CHANGED) != 0 ? Boolean.TRUE : (f & SAME) != 0 ? Boolean.FALSE : null, (f & CREDENTIALS) != 0,
          (f & PERSONAL) != 0));
    }
    return out;
  }

  private void grow(int capacity) {
    // the ring is full and in order from `next`; unroll it so the oldest is first
    at = unroll(at, capacity);
    ms = unroll(ms, capacity);
    status = unroll(status, capacity);
    flags = unroll(flags, capacity);
    cache = unroll(cache, capacity);
    next = size;
  }

  private long[] unroll(long[] a, int capacity) {
    long[] b = Arrays.copyOf(a, capacity);
    System.arraycopy(a, next, b, 0, a.length - next);
    System.arraycopy(a, 0, b, a.length - next, next);
    return b;
  }

  private float[] unroll(float[] a, int capacity) {
    float[] b = Arrays.copyOf(a, capacity);
    System.arraycopy(a, next, b, 0, a.length - next);
    System.arraycopy(a, 0, b, a.length - next, next);
    return b;
  }

  private short[] unroll(short[] a, int capacity) {
    short[] b = Arrays.copyOf(a, capacity);
    System.arraycopy(a, next, b, 0, a.length - next);
    System.arraycopy(a, 0, b, a.length - next, next);
    return b;
  }

  private byte[] unroll(byte[] a, int capacity) {
    byte[] b = Arrays.copyOf(a, capacity);
    System.arraycopy(a, next, b, 0, a.length - next);
    System.arraycopy(a, 0, b, a.length - next, next);
    return b;
  }
}
