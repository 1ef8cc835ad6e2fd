package dev.vigil.server.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a flood of like events from writing one record each: per key (e.g. source IP, status and
 * route) and fixed window, the first {@code passPerWindow} events pass (are written at once) and the
 * rest are only counted; when the window ends, a key that had events is handed to the {@link Sink} once
 * with its count, first and last time. Keys are bounded: beyond {@code maxKeys} open windows, events
 * are counted under the overflow key. {@link #flush()} runs every second on its own thread (and at
 * {@link #close()}), using the injected clock.
 *
 * @param <K> the key
 */
public final class FloodWindow<K> implements AutoCloseable {
  /** What to do with a window that ended. */
  @FunctionalInterface
  public interface Sink<K> {
    /**
     * Called once per key and ended window.
     *
     * @param key the key
     * @param count every event of the window, the passed ones included
     * @param suppressed the events that were only counted
     * @param first when the first came
     * @param last when the last came
     * @param sample the last event's payload (e.g. its message)
     */
    void ended(K key, long count, long suppressed, Instant first, Instant last, Object sample);
  }

  private static final Logger LOG = LoggerFactory.getLogger(FloodWindow.class);
  private final Duration window;
  private final int passPerWindow;
  private final int maxKeys;
  private final K overflow;
  private final Clock clock;
  private final Sink<K> sink;
  private final Map<K, Window> open = new ConcurrentHashMap<>();
  private final ScheduledExecutorService flusher;

  private static final class Window {
    final Instant start;
    final AtomicLong count = new AtomicLong();
    volatile Instant last;
    volatile Object sample;

    Window(Instant start) {
      this.start = start;
      this.last = start;
    }
  }

  /**
   * Creates the window and starts its flushing thread.
   *
   * @param window how long a window lasts
   * @param passPerWindow events per key and window written at once
   * @param maxKeys open windows at most (more events count under {@code overflow})
   * @param overflow the key of events beyond {@code maxKeys}
   * @param threadName the flushing thread's name
   */
  public FloodWindow(Duration window, int passPerWindow, int maxKeys, K overflow, Clock clock, Sink<K> sink,
      String threadName) {
    if (window.isNegative() || window.isZero() || passPerWindow < 0 || maxKeys < 1) {
      throw new IllegalArgumentException("flood window needs a positive length and key bound, was " + window + ", "
          + maxKeys);
    }
    this.window = window;
    this.passPerWindow = passPerWindow;
    this.maxKeys = maxKeys;
    this.overflow = Objects.requireNonNull(overflow, "overflow");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    flusher.scheduleWithFixedDelay(this::flushSafely, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Counts one event of {@code key}.
   *
   * @param sample the event's payload kept for the summary (the last one wins)
   * @return true when the event is to be written on its own, false when it is only counted
   */
  public boolean admit(K key, Object sample) {
    Instant now = clock.instant();
    K k = open.size() >= maxKeys && !open.containsKey(key) ? overflow : key;
    Window w = open.computeIfAbsent(k, x -> new Window(now));
    long n = w.count.incrementAndGet();
    w.last = now;
    w.sample = sample;
    return k != overflow && n <= passPerWindow;
  }

  /** Hands every window that ended by now to the sink. */
  public void flush() {
    flush(clock.instant(), false);
  }

  private void flush(Instant now, boolean all) {
    for (Map.Entry<K, Window> e : open.entrySet()) {
      Window w = e.getValue();
      if (all || !now.isBefore(w.start.plus(window))) {
        if (open.remove(e.getKey(), w)) {
          long count = w.count.get();
          long suppressed = e.getKey() == overflow ? count : Math.max(0, count - passPerWindow);
          if (suppressed > 0) {
            sink.ended(e.getKey(), count, suppressed, w.start, w.last, w.sample);
          }
        }
      }
    }
  }

  private void flushSafely() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.error("cannot write a flood summary", e);
    }
  }

  /** Stops the thread and hands every open window to the sink. */
  @Override
  public void close() {
    flusher.shutdownNow();
    flush(clock.instant(), true);
  }
}
