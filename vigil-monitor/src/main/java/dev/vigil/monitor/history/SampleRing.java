package dev.vigil.monitor.history;

import dev.vigil.monitor.host.HostMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every reading of the last {@code span} (one hour by default), oldest first, bounded by a hard cap on
 * the number of readings so a very short interval cannot exhaust memory. Thread-safe.
 */
public final class SampleRing {
  private final Duration span;
  private final int maxSamples;
  private final ArrayDeque<HostMetrics> samples = new ArrayDeque<>();

  /**
   * A ring keeping readings no older than {@code span} behind the newest, at most {@code maxSamples}.
   *
   * @throws IllegalArgumentException for a non-positive span or cap
   */
  public SampleRing(Duration span, int maxSamples) {
    if (span.isNegative() || span.isZero()) {
      throw new IllegalArgumentException("history span must be positive: " + span);
    }
    if (maxSamples < 1) {
      throw new IllegalArgumentException("history must hold at least one reading: " + maxSamples);
    }
    this.span = span;
    this.maxSamples = maxSamples;
  }

  /** How far back the ring reaches. */
  public Duration span() {
    return span;
  }

  /** Adds the newest reading and drops those that fell out of the span or over the cap. */
  public synchronized void add(HostMetrics m) {
    Objects.requireNonNull(m, "metrics");
    samples.addLast(m);
    Instant horizon = m.timestamp().minus(span);
    while (samples.size() > maxSamples || samples.peekFirst().timestamp().isBefore(horizon)) {
      samples.removeFirst();
    }
  }

  /** The newest {@code n} readings (fewer when the ring holds fewer), oldest first. */
  public synchronized List<HostMetrics> last(int n) {
    int skip = Math.max(0, samples.size() - n);
    List<HostMetrics> out = new ArrayList<>(samples.size() - skip);
    Iterator<HostMetrics> it = samples.iterator();
    for (int i = 0; it.hasNext(); i++) {
      HostMetrics m = it.next();
      if (i >= skip) {
        out.add(m);
      }
    }
    return out;
  }

  /** The readings with {@code from <= timestamp < to}, oldest first. */
  public synchronized List<HostMetrics> between(Instant from, Instant to) {
    List<HostMetrics> out = new ArrayList<>();
    for (HostMetrics m : samples) {
      if (!m.timestamp().isBefore(from) && m.timestamp().isBefore(to)) {
        out.add(m);
      }
    }
    return out;
  }

  /** The newest reading. */
  public synchronized Optional<HostMetrics> latest() {
    return Optional.ofNullable(samples.peekLast());
  }

  /** The oldest reading still held. */
  public synchronized Optional<HostMetrics> oldest() {
    return Optional.ofNullable(samples.peekFirst());
  }

  /** How many readings are held. */
  public synchronized int size() {
    return samples.size();
  }
}
