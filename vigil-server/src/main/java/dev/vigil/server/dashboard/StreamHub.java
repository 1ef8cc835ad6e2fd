package dev.vigil.server.dashboard;

import dev.vigil.monitor.Sample;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.Json;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open Server-Sent Event streams and the one thread that writes to all of them. A stream holds no
 * request thread: its request is async and written with non-blocking servlet I/O, so a client that
 * reads slowly costs a few queued events, never a thread; one that falls {@value #MAX_QUEUED} events
 * behind is closed. Streams are capped per token and in total, end when they reach their end time,
 * when their token is revoked and when the hub closes, and get a comment every 15 s so proxies keep
 * them open.
 */
final class StreamHub implements AutoCloseable {
  /** Events a stream may have waiting for a slow client before it is closed. */
  static final int MAX_QUEUED = 32;
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final byte[] PING = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);

  private final int maxTotal;
  private final int maxPerToken;
  private final Clock clock;
  private final Set<Stream> open = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> perToken = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final ScheduledExecutorService writer;
  private volatile boolean closed;

  /**
   * A hub with caps.
   *
   * @param maxTotal streams open at once on this server
   * @param maxPerToken streams open at once per token
   */
  StreamHub(int maxTotal, int maxPerToken, Clock clock) {
    this.maxTotal = maxTotal;
    this.maxPerToken = maxPerToken;
    this.clock = clock;
    this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-sse-writer");
      t.setDaemon(true);
      return t;
    });
    writer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Takes a slot for one more stream of {@code tokenId}.
   *
   * @throws ApiException 429 when the token or the server has as many streams as allowed, 503 when stopping
   */
  Slot reserve(String tokenId) {
    if (closed) {
      throw new ApiException(503, "stopping", "the server is stopping");
    }
    AtomicInteger mine = perToken.computeIfAbsent(tokenId, k -> new AtomicInteger());
    if (mine.incrementAndGet() > maxPerToken) {
      release(tokenId);
      throw new ApiException(429, "too_many_streams", "this token already has " + maxPerToken
          + " open event streams (server.stream.max_per_token); close one first");
    }
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      release(tokenId);
      throw new ApiException(429, "too_many_streams", "the server already has " + maxTotal
          + " open event streams (server.stream.max_total); retry later");
    }
    return new Slot(tokenId);
  }

  private void release(String tokenId) {
    perToken.computeIfPresent(tokenId, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  /** A reserved place for one stream; {@link #open} turns it into a stream, {@link #cancel} gives it back. */
  final class Slot {
    private final String tokenId;
    private boolean used;

    private Slot(String tokenId) {
      this.tokenId = tokenId;
    }

    /**
     * Starts streaming on {@code async} (whose request is async already).
     *
     * @param first the latest sample, sent at once ({@code null}: none yet)
     * @return completes when the stream ended, for whatever reason
     */
    CompletableFuture<Void> open(AsyncContext async, Instant until, Sample first) {
      used = true;
      Stream s = new Stream(this, async, until);
      open.add(s);
      s.queue("retry: 3000\n\n".getBytes(StandardCharsets.US_ASCII));
      if (first != null) {
        s.queueSample(at(first), event(first));
      }
      try {
        s.out = async.getResponse().getOutputStream();
        s.out.setWriteListener(s);
      } catch (IOException e) {
        s.end();
        throw new UncheckedIOException("cannot open the event stream", e);
      }
      if (closed) {
        s.end();
      }
      return s.done;
    }

    /** Gives the slot back when no stream was opened. */
    void cancel() {
      if (!used) {
        used = true;
        free(tokenId);
      }
    }
  }

  private void free(String tokenId) {
    total.decrementAndGet();
    release(tokenId);
  }

  /** Sends {@code sample} to every open stream (serialized once, written by the hub's thread). */
  void publish(Sample sample) {
    if (open.isEmpty() || closed) {
      return;
    }
    byte[] bytes = event(sample);
    long at = at(sample);
    try {
      writer.execute(() -> open.forEach(s -> s.sendSample(at, bytes)));
    } catch (RejectedExecutionException e) {
      LOG.debug("sample not streamed: the stream hub is closed");
    }
  }

  /** Ends the streams of every token in {@code tokenIds} (they were revoked). */
  void revoked(Collection<String> tokenIds) {
    Set<String> ids = Set.copyOf(tokenIds);
    open.stream().filter(s -> ids.contains(s.slot.tokenId)).forEach(Stream::end);
  }

  /** Streams open now. */
  int openStreams() {
    return open.size();
  }

  private void tick() {
    Instant now = clock.instant();
    for (Stream s : open) {
      if (!now.isBefore(s.until)) {
        s.end();
      } else if (Duration.between(s.lastSent, now).compareTo(KEEP_ALIVE) >= 0) {
        s.send(PING);
      }
    }
  }

  /** Ends every stream and stops the writer thread. */
  @Override
  public void close() {
    closed = true;
    open.forEach(Stream::end);
    writer.shutdownNow();
  }

  private static long at(Sample s) {
    return s.metrics().timestamp().toEpochMilli();
  }

  private static byte[] event(Sample s) {
    try {
      return ("event: sample\nid: " + s.metrics().timestamp().toEpochMilli() + "\ndata: "
          + Json.MAPPER.writeValueAsString(s) + "\n\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise a monitoring sample", e);
    }
  }

  /** One open stream: its queue of events and the state of its non-blocking writes. */
  private final class Stream implements WriteListener {
    private final Slot slot;
    private final AsyncContext async;
    private final Instant until;
    private final ArrayDeque<byte[]> queued = new ArrayDeque<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile ServletOutputStream out;
    private boolean flushNeeded;
    private boolean ended;
    private volatile Instant lastSent;
    private long lastSample = Long.MIN_VALUE;

    Stream(Slot slot, AsyncContext async, Instant until) {
      this.slot = slot;
      this.async = async;
      this.until = until;
      this.lastSent = clock.instant();
    }

    synchronized void queue(byte[] bytes) {
      queued.add(bytes);
    }

    /**
     * Queues the sample taken at {@code at} unless this stream already has it or a newer one: a stream
     * opened while a sample is being published gets that sample both as its first and from the hub.
     */
    synchronized void queueSample(long at, byte[] bytes) {
      if (at > lastSample) {
        lastSample = at;
        queued.add(bytes);
      }
    }

    /** Sends the sample taken at {@code at} unless this stream already has it or a newer one. */
    synchronized void sendSample(long at, byte[] bytes) {
      if (at > lastSample) {
        lastSample = at;
        send(bytes);
      }
    }

    /** Queues {@code bytes} and writes what the connection takes now; closes a client too far behind. */
    synchronized void send(byte[] bytes) {
      if (ended) {
        return;
      }
      if (queued.size() >= MAX_QUEUED) {
        LOG.info("closing the event stream of token {}: the client is {} events behind", slot.tokenId, MAX_QUEUED);
        end();
        return;
      }
      queued.add(bytes);
      lastSent = clock.instant();
      pump();
    }

    /** Writes queued events while the connection can take them without blocking. */
    private synchronized void pump() {
      if (out == null) {
        return;
      }
      try {
        while (!ended && out.isReady()) {
          if (flushNeeded) {
            flushNeeded = false;
            out.flush();
            continue;
          }
          byte[] next = queued.poll();
          if (next == null) {
            return;
          }
          out.write(next);
          flushNeeded = true;
        }
      } catch (IOException | IllegalStateException e) {
        LOG.debug("event stream of token {} ended by the client: {}", slot.tokenId, e.toString());
        end();
      }
    }

    @Override
    public void onWritePossible() {
      pump();
    }

    @Override
    public void onError(Throwable t) {
      LOG.debug("event stream of token {} failed: {}", slot.tokenId, t.toString());
      end();
    }

    /** Ends the stream (idempotent): frees its slot and lets its request complete. */
    synchronized void end() {
      if (ended) {
        return;
      }
      ended = true;
      queued.clear();
      if (open.remove(this)) {
        free(slot.tokenId);
      }
      done.complete(null);
    }
  }
}
