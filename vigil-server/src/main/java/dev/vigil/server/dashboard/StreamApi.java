package dev.vigil.server.dashboard;

import dev.vigil.monitor.Sample;
import dev.vigil.monitor.SampleListener;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Params;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/stream}: Server-Sent Events carrying every new monitoring sample to the dashboard.
 * Read with {@code fetch()} so the bearer token travels in the {@code Authorization} header, never in a
 * URL. A request must accept {@code text/event-stream} (anything else gets 406 at once, so a plain client
 * never hangs on it). Each stream lasts at most {@code max_seconds} (the client reconnects), sends a
 * comment every 15 s to keep proxies from closing it, and ends when the server stops.
 */
final class StreamApi {
  /** Longest a stream may be asked to last. */
  public static final int MAX_SECONDS = 3600;
  /** How long a stream lasts when the client does not say. */
  public static final int DEFAULT_SECONDS = 300;
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final Object END = new Object();
  private static final int QUEUE = 64;
  private static final Logger LOG = LoggerFactory.getLogger(StreamApi.class);

  private StreamApi() {
  }

  /**
   * Adds the route.
   *
   * @param monitor the host monitor, empty when monitoring is off
   * @param howToEnable how monitoring is turned on, for the "not enabled" answer
   * @param clock the time the stream lengths are measured by
   */
  static void register(Api api, Optional<SystemMonitor> monitor, String howToEnable, Clock clock) {
    Set<BlockingQueue<Object>> open = ConcurrentHashMap.newKeySet();
    AtomicBoolean stopping = new AtomicBoolean();
    api.onStop(() -> {
      stopping.set(true);
      open.forEach(q -> q.offer(END));
    });
    api.get("/api/stream", Role.VIEWER, "Server-Sent Events: each new monitoring sample as event 'sample' "
        + "(ends after max_seconds, default " + DEFAULT_SECONDS + "; 409 when monitoring is off)", ctx -> {
          String accept = ctx.header("Accept");
          if (accept == null || !accept.contains("text/event-stream")) {
            throw new ApiException(406, "not_acceptable",
                "this route streams Server-Sent Events; send the header Accept: text/event-stream");
          }
          int maxSeconds = Params.intParam(ctx, "max_seconds", 1, MAX_SECONDS, DEFAULT_SECONDS);
          SystemMonitor m = monitor.filter(SystemMonitor::isRunning)
              .orElseThrow(() -> ApiException.notEnabled("monitoring", howToEnable));
          if (stopping.get()) {
            throw new ApiException(503, "stopping", "the server is stopping");
          }
          BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
          SampleListener listener = sample -> {
            while (!queue.offer(sample)) {
              queue.poll();
            }
          };
          open.add(queue);
          m.addListener(listener);
          try {
            stream(ctx, queue, m.latest(), clock.instant().plusSeconds(maxSeconds), clock, stopping);
          } finally {
            m.removeListener(listener);
            open.remove(queue);
          }
        });
  }

  private static void stream(Context ctx, BlockingQueue<Object> queue, Optional<Sample> first, Instant until,
      Clock clock, AtomicBoolean stopping) throws InterruptedException {
    ctx.status(200);
    ctx.res().setContentType("text/event-stream;charset=utf-8");
    ctx.res().setHeader("Cache-Control", "no-store");
    ctx.res().setHeader("X-Accel-Buffering", "no");
    try {
      OutputStream out = ctx.res().getOutputStream();
      write(out, "retry: 3000\n\n");
      if (first.isPresent()) {
        write(out, event(first.get()));
      }
      Instant lastWrite = clock.instant();
      while (!stopping.get()) {
        Instant now = clock.instant();
        if (!now.isBefore(until)) {
          return;
        }
        long waitMs = Math.min(Duration.between(now, until).toMillis(), 1000);
        Object next = queue.poll(Math.max(1, waitMs), TimeUnit.MILLISECONDS);
        if (next == END) {
          return;
        }
        if (next instanceof Sample s) {
          write(out, event(s));
          lastWrite = clock.instant();
        } else if (Duration.between(lastWrite, clock.instant()).compareTo(KEEP_ALIVE) >= 0) {
          write(out, ": keep-alive\n\n");
          lastWrite = clock.instant();
        }
      }
    } catch (IOException e) {
      LOG.debug("event stream to {} ended by the client: {}", ctx.ip(), e.toString());
    }
  }

  private static String event(Sample s) throws IOException {
    return "event: sample\nid: " + s.metrics().timestamp().toEpochMilli() + "\ndata: "
        + Json.MAPPER.writeValueAsString(s) + "\n\n";
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
