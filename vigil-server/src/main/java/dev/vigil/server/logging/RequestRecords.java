package dev.vigil.server.logging;

import dev.vigil.logging.request.RequestLog;
import dev.vigil.server.auth.TokenInfo;
import dev.vigil.server.http.FloodWindow;
import dev.vigil.server.http.HttpServer;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request hook writing one request record per answered request: method, path (without the query,
 * which may hold secrets), status, time, the caller's token id as {@code user_id}, client address, user
 * agent and request id. Requests refused without a token (401 and 429 with no caller) are sampled: per
 * client address, status and route, the first {@value #PASS_PER_WINDOW} of each {@link #WINDOW} are
 * written and the rest counted into one summary line in the main log, so a flood cannot fill the disk
 * through this file. Event streams are never flagged slow (they are long by design).
 */
public final class RequestRecords implements HttpServer.RequestListener, AutoCloseable {
  /** Length of a sampling window. */
  public static final Duration WINDOW = Duration.ofSeconds(60);
  /** Request records of refused anonymous requests written per key and window. */
  public static final int PASS_PER_WINDOW = 20;
  private static final Logger LOG = LoggerFactory.getLogger(RequestRecords.class);
  private static final Key OVERFLOW = new Key("*", 0, "*");

  private final RequestLog requests;
  private final FloodWindow<Key> refused;

  private record Key(String ip, int status, String route) {
  }

  /** Writes to {@code requests}, windows timed by {@code clock}. */
  public RequestRecords(RequestLog requests, Clock clock) {
    this.requests = requests;
    this.refused = new FloodWindow<>(WINDOW, PASS_PER_WINDOW, 10_000, OVERFLOW, clock, RequestRecords::summarize,
        "vigil-request-log-sampler");
  }

  @Override
  public void answered(Context ctx, float millis) {
    TokenInfo caller = HttpServer.caller(ctx);
    int status = ctx.statusCode();
    String ip = HttpServer.clientIp(ctx);
    if (caller == null && (status == 401 || status == 429)
        && !refused.admit(new Key(ip, status, ctx.method().name() + " " + HttpServer.route(ctx)), null)) {
      return;
    }
    requests.log(ctx.method().name(), ctx.path(), status, Math.max(0, millis), caller == null ? null : caller.id(),
        ip, ctx.userAgent(), HttpServer.requestId(ctx), Boolean.TRUE.equals(ctx.attribute(HttpServer.STREAM_ATTRIBUTE)));
  }

  private static void summarize(Key key, long count, long suppressed, Instant first, Instant last, Object sample) {
    LOG.warn("{} request records of refused requests ({} {} from {}) not written singly between {} and {} "
        + "({} such requests in all)", suppressed, key.status() == 0 ? "any status" : key.status(), key.route(),
        key.ip(), first, last, count);
  }

  /** Writes the summaries of open windows. */
  @Override
  public void close() {
    refused.close();
  }
}
