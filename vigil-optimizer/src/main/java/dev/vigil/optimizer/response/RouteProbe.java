package dev.vigil.optimizer.response;

import dev.vigil.optimizer.Probe;
import dev.vigil.proxy.AppProxy;
import dev.vigil.proxy.RouteSample;
import java.time.Instant;

/**
 * A route's sampled GET/HEAD requests through the proxy: either each one's latency (lower is better),
 * or, for the freshness guard, 1 for each repeated call that got a new answer and 0 for one that got
 * the previous answer again (higher is better: a cache that hides an application's changes lowers it).
 */
final class RouteProbe implements Probe {
  private final AppProxy proxy;
  private final String route;
  private final boolean freshness;

  private RouteProbe(AppProxy proxy, String route, boolean freshness) {
    this.proxy = proxy;
    this.route = route;
    this.freshness = freshness;
  }

  /** Per-request latency of GET/HEAD on {@code route}, in ms. */
  static RouteProbe latency(AppProxy proxy, String route) {
    return new RouteProbe(proxy, route, false);
  }

  /** Whether repeated GETs of a URL of {@code route} got a new answer (1) or the previous one (0). */
  static RouteProbe freshness(AppProxy proxy, String route) {
    return new RouteProbe(proxy, route, true);
  }

  @Override
  public String name() {
    return freshness ? "share of repeated GET " + route + " calls that got a new answer"
        : "latency of GET " + route + " through the proxy (ms)";
  }

  @Override
  public boolean lowerIsBetter() {
    return !freshness;
  }

  @Override
  public double[] samples(Instant from, Instant to) {
    return proxy.samples(route, from, to).stream()
        .filter(s -> s.method().equals("GET") || s.method().equals("HEAD"))
        .filter(s -> !freshness || s.answerChanged() != null)
        .mapToDouble(this::value).toArray();
  }

  private double value(RouteSample s) {
    return freshness ? (s.answerChanged() ? 1 : 0) : s.ms();
  }
}
