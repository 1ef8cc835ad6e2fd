package dev.vigil.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * What an expensive route costs in units of the caller's expensive-route budget
 * ({@code server.rate_limit.expensive_per_second}); every other route costs 0 (it is limited by the
 * ordinary per-token and per-IP buckets only). Costs follow the work: listing processes reads every
 * process of the host, more so with a larger {@code top}; backups, restores and verifications run
 * pg_dump/pg_restore or a whole database copy; an audit verification re-hashes the whole chain.
 */
final class RouteCost {
  private RouteCost() {
  }

  /** The cost of answering {@code ctx} on {@code route}. */
  static int of(ApiRoute route, Context ctx) {
    String path = route.path();
    if (path.equals("/api/monitoring/processes")) {
      return 2 + Math.max(0, Math.min(100, top(ctx))) / 20;
    }
    if (path.equals("/api/audit/verify")) {
      return 10;
    }
    if (route.method() == HandlerType.POST && (path.equals("/api/backup/create")
        || path.startsWith("/api/backup/restore/") || path.startsWith("/api/backup/verify/"))) {
      return 10;
    }
    return 0;
  }

  private static int top(Context ctx) {
    String top = ctx.queryParam("top");
    if (top == null) {
      return 10;
    }
    try {
      return Integer.parseInt(top.trim());
    } catch (NumberFormatException e) {
      return 0; // the route answers 400 for it
    }
  }
}
