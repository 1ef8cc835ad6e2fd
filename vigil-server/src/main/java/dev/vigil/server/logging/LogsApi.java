package dev.vigil.server.logging;

import dev.vigil.logging.LogFiles;
import dev.vigil.logging.LogLevel;
import dev.vigil.logging.read.RecentRecords;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Page;
import dev.vigil.server.http.Params;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The server's own log records over HTTP, for the dashboard's "recent errors" panel. */
final class LogsApi {
  /** Deepest page reachable with {@code cursor}: older records are for the files and {@code jq}. */
  public static final int MAX_CURSOR = 10_000;
  private static final String LEVELS = "one of trace, debug, info, warning (or warn), error, critical";

  private LogsApi() {
  }

  /**
   * Adds {@code GET /api/logs/recent?level=&limit=&cursor=} (operator): the newest records at or
   * above {@code level} (default ERROR), newest first.
   *
   * @param files the server's log files, empty when file logging is off
   */
  static void register(Api api, Optional<LogFiles> files) {
    api.get("/api/logs/recent", Role.OPERATOR, "Newest log records at or above a level (default ERROR)", ctx -> {
      String levelText = Params.textParam(ctx, "level", "[A-Za-z]{1,10}", LEVELS, "error");
      LogLevel level = LogLevel.find(levelText).orElseThrow(() -> ApiException.badParameter("level", LEVELS));
      int limit = Page.limit(ctx);
      int cursor = Params.intParam(ctx, "cursor", 0, MAX_CURSOR, 0);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("level", level.name().toLowerCase(Locale.ROOT));
      body.put("files_enabled", files.isPresent());
      if (files.isEmpty()) {
        Json.respond(ctx, Page.of(List.of(), null).into(body, "records"));
        return;
      }
      RecentRecords.Result result = RecentRecords.read(files.get(), level, cursor, limit);
      int next = cursor + result.records().size();
      Page.of(result.records(), result.more() && next <= MAX_CURSOR ? Integer.toString(next) : null)
          .into(body, "records");
      body.put("skipped_lines", result.skippedLines());
      body.put("truncated", result.truncated());
      Json.respond(ctx, body);
    });
  }
}
