package dev.vigil.proxy.internal;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the upstream is up: an active check every interval (GET of a health path, or a TCP
 * connect) plus passive counting of the proxied requests' connection failures. Down after
 * {@code failures} consecutive failures; up again on the first success.
 */
public final class UpstreamHealth implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamHealth.class);

  /** Sends one GET of a path to the upstream and gives its status. */
  @FunctionalInterface
  public interface Probe {
    /**
     * @throws TimeoutException when no answer came within {@code timeout}
     * @throws Exception when the upstream could not be reached
     */
    int status(String path, Duration timeout) throws Exception;
  }

  private final URI upstream;
  private final String path;
  private final int failuresToDown;
  private final Duration timeout;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private volatile int consecutiveFailures;
  /** Epoch millis of the last check or use; 0 before the first. */
  private volatile long lastCheckMillis;
  private volatile String lastError;
  private volatile boolean up = true;

  /** Starts active checks every {@code interval}. */
  public UpstreamHealth(URI upstream, String path, Duration interval, int failuresToDown, Duration timeout,
      Clock clock, Probe probe) {
    this.upstream = upstream;
    this.path = path;
    this.failuresToDown = failuresToDown;
    this.timeout = timeout;
    this.clock = clock;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-proxy-health");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(() -> check(probe), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void check(Probe probe) {
    try {
      if (path == null) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(upstream.getHost(), port()), (int) timeout.toMillis());
        }
        success();
      } else {
        int status = probe.status(path, timeout);
        if (status >= 500) {
          failure("health check " + path + " answered " + status);
        } else {
          success();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      failure("health check timed out after " + timeout.toMillis() + " ms");
    } catch (Exception e) {
      failure("health check failed: " + e);
    }
  }

  private int port() {
    return upstream.getPort() > 0 ? upstream.getPort() : 80;
  }

  /**
   * A request or check reached the upstream. Called for every proxied answer from every event loop, so it
   * writes a shared field only when its value changes (the time at most once a millisecond).
   */
  public void success() {
    long now = clock.millis();
    if (lastCheckMillis != now) {
      lastCheckMillis = now;
    }
    if (consecutiveFailures != 0) {
      consecutiveFailures = 0;
    }
    if (!up) {
      LOG.info("upstream {} is up again", upstream);
      up = true;
    }
  }

  /** A request or check could not reach the upstream (or timed out). */
  public void failure(String error) {
    int n = ++consecutiveFailures;
    lastCheckMillis = clock.millis();
    lastError = error;
    if (n >= failuresToDown && up) {
      up = false;
      LOG.warn("upstream {} is down after {} consecutive failures: {}", upstream, n, error);
    }
  }

  /** Whether the upstream is considered up. */
  public boolean up() {
    return up;
  }

  /** Failures since the last success. */
  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** Last check or use, or null. */
  public Instant lastCheck() {
    long at = lastCheckMillis;
    return at == 0 ? null : Instant.ofEpochMilli(at);
  }

  /** Last failure, or null. */
  public String lastError() {
    return lastError;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
