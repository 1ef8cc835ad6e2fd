package dev.vigil.server.dashboard;

import dev.vigil.monitor.SampleListener;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.HttpServer;
import dev.vigil.server.http.Params;
import io.javalin.http.HandlerType;
import jakarta.servlet.AsyncContext;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code GET /api/stream}: Server-Sent Events carrying every new monitoring sample to the dashboard.
 * Read with {@code fetch()} so the bearer token travels in the {@code Authorization} header, never in a
 * URL. A request must accept {@code text/event-stream} (anything else gets 406 at once, so a plain client
 * never hangs on it). Streams hold no request thread (see {@link StreamHub}); there are at most
 * {@code maxPerToken} per token and {@code maxTotal} in all (429 beyond). Each stream lasts at most
 * {@code max_seconds} (the client reconnects), sends a comment every 15 s to keep proxies from closing
 * it, and ends when its token is revoked or the server stops.
 */
final class StreamApi {
  /** Longest a stream may be asked to last. */
  public static final int MAX_SECONDS = 3600;
  /** How long a stream lasts when the client does not say. */
  public static final int DEFAULT_SECONDS = 300;

  private StreamApi() {
  }

  /**
   * Adds the route.
   *
   * @param monitor the host monitor, empty when monitoring is off
   * @param howToEnable how monitoring is turned on, for the "not enabled" answer
   * @param clock the time the stream lengths are measured by
   * @param maxTotal streams open at once on this server
   * @param maxPerToken streams open at once per token
   * @param revocations registers the consumer told of revoked token ids (their streams end)
   * @return closes the open streams and the writer thread
   */
  static AutoCloseable register(Api api, Optional<SystemMonitor> monitor, String howToEnable, Clock clock,
      int maxTotal, int maxPerToken, Consumer<Consumer<Collection<String>>> revocations) {
    StreamHub hub = new StreamHub(maxTotal, maxPerToken, clock);
    SampleListener listener = hub::publish;
    AtomicBoolean listening = new AtomicBoolean();
    revocations.accept(hub::revoked);
    api.onStop(hub::close);
    api.get("/api/stream", Role.VIEWER, "Server-Sent Events: each new monitoring sample as event 'sample' "
        + "(ends after max_seconds, default " + DEFAULT_SECONDS + "; 409 when monitoring is off; 429 beyond the "
        + "stream caps)", ctx -> {
          String accept = ctx.header("Accept");
          if (accept == null || !accept.contains("text/event-stream")) {
            throw new ApiException(406, "not_acceptable",
                "this route streams Server-Sent Events; send the header Accept: text/event-stream");
          }
          int maxSeconds = Params.intParam(ctx, "max_seconds", 1, MAX_SECONDS, DEFAULT_SECONDS);
          SystemMonitor m = monitor.filter(SystemMonitor::isRunning)
              .orElseThrow(() -> ApiException.notEnabled("monitoring", howToEnable));
          if (listening.compareAndSet(false, true)) {
            m.addListener(listener);
          }
          ctx.status(200);
          ctx.res().setContentType("text/event-stream;charset=utf-8");
          ctx.res().setHeader("Cache-Control", "no-store");
          ctx.res().setHeader("X-Accel-Buffering", "no");
          if (ctx.method() == HandlerType.HEAD) {
            return;
          }
          StreamHub.Slot slot = hub.reserve(HttpServer.caller(ctx).id());
          ctx.attribute(HttpServer.STREAM_ATTRIBUTE, Boolean.TRUE);
          ctx.future(() -> {
            try {
              AsyncContext async = ctx.req().getAsyncContext();
              return slot.open(async, clock.instant().plusSeconds(maxSeconds), m.latest().orElse(null));
            } catch (RuntimeException e) {
              slot.cancel();
              return CompletableFuture.failedFuture(e);
            }
          });
        });
    return () -> {
      hub.close();
      monitor.ifPresent(m -> m.removeListener(listener));
    };
  }
}
