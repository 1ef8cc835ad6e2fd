package dev.vigil.server.insight;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.vigil.insight.DatabaseInsight;
import dev.vigil.insight.InsightScheduler;
import dev.vigil.insight.QuerySort;
import dev.vigil.insight.Window;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Params;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/db}: the watched databases, and per database its query shapes over a window, indexes,
 * tables, activity and advice. Bodies are the library's records in snake_case.
 */
final class InsightApi {
  private static final ObjectMapper SNAKE = Json.MAPPER.copy()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private InsightApi() {
  }

  static void register(Api api, Map<String, DatabaseInsight> databases, InsightScheduler scheduler, Clock clock) {
    api.get("/api/db", Role.VIEWER, "The databases insight watches", ctx -> {
      List<Map<String, Object>> out = new ArrayList<>();
      databases.values().forEach(db -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", db.name());
        m.put("engine", db.engine().name().toLowerCase(Locale.ROOT));
        m.put("location", db.location());
        m.put("last_snapshot", db.lastSnapshot().map(s -> s.at().toString()).orElse(null));
        m.put("last_error", scheduler.lastError(db.name()));
        out.add(m);
      });
      Json.respond(ctx, Map.of("databases", out));
    });
    api.get("/api/db/{name}/queries", Role.VIEWER, "Query shapes over ?window=1h sorted by ?sort=total_time "
        + "(mean_time, calls, rows, reads), at most ?limit=100", ctx -> {
          DatabaseInsight db = db(ctx, databases);
          Window window;
          QuerySort sort;
          try {
            window = Window.parse(ctx.queryParam("window"));
          } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("window", "like 15m, 1h, 24h or 7d");
          }
          try {
            sort = QuerySort.parse(ctx.queryParam("sort"));
          } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("sort", "one of total_time, mean_time, calls, rows, reads");
          }
          int limit = Params.intParam(ctx, "limit", 1, 1000, 100);
          respond(ctx, db.queries(window, sort, limit));
        });
    api.get("/api/db/{name}/shapes/{shape}", Role.VIEWER, "One shape's totals and per-snapshot history between "
        + "?from= and ?to= (ISO-8601; default the last 24 h)", ctx -> {
          DatabaseInsight db = db(ctx, databases);
          String shape = ctx.pathParam("shape");
          if (!shape.matches("[A-Za-z0-9_-]{1,64}")) {
            throw ApiException.badParameter("shape", "a shape id (letters, digits, '-', '_')");
          }
          Instant to = Params.instantParam(ctx, "to", clock.instant());
          Instant from = Params.instantParam(ctx, "from", to.minus(Duration.ofDays(1)));
          if (!from.isBefore(to)) {
            throw ApiException.badParameter("from", "before 'to'");
          }
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("shape", db.shape(shape, from, to).orElseThrow(() -> ApiException.notFound("shape '" + shape
              + "' between " + from + " and " + to)));
          body.put("points", db.series(shape, from, to));
          respond(ctx, body);
        });
    api.get("/api/db/{name}/indexes", Role.VIEWER, "Indexes: unused, duplicate, invalid, sizes",
        ctx -> respond(ctx, db(ctx, databases).indexes()));
    api.get("/api/db/{name}/tables", Role.VIEWER, "Tables: size, bloat, dead rows, stale statistics",
        ctx -> respond(ctx, db(ctx, databases).tables()));
    api.get("/api/db/{name}/activity", Role.VIEWER, "Connections, long and blocking sessions, lag, wraparound",
        ctx -> respond(ctx, db(ctx, databases).activity()));
    api.get("/api/db/{name}/advice", Role.VIEWER, "Index advice (HypoPG-costed on PostgreSQL) and maintenance",
        ctx -> respond(ctx, db(ctx, databases).advice()));
  }

  private static DatabaseInsight db(Context ctx, Map<String, DatabaseInsight> databases) {
    String name = ctx.pathParam("name");
    DatabaseInsight db = databases.get(name);
    if (db == null) {
      throw ApiException.notFound("database '" + (name.length() > 64 ? name.substring(0, 64) + "…" : name) + "'");
    }
    return db;
  }

  private static void respond(Context ctx, Object body) {
    Json.respond(ctx, SNAKE.valueToTree(body));
  }
}
