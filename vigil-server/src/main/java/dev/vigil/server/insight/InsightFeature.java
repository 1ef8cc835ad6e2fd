package dev.vigil.server.insight;

import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.core.config.Setting;
import dev.vigil.core.config.ValueParser;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.insight.DatabaseInsight;
import dev.vigil.insight.InsightException;
import dev.vigil.insight.InsightScheduler;
import dev.vigil.insight.InsightSettings;
import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.Health;
import dev.vigil.server.feature.ServerContext;
import dev.vigil.server.monitoring.MonitoringSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Database insight over the databases the backups use ({@code databases} / {@code DATABASE_URL}):
 * a snapshot every {@code insight.interval}, {@code /api/db/*}, meters {@code vigil.insight.*} and a
 * health entry naming any database whose statistics cannot be read.
 */
public final class InsightFeature implements Feature {
  static final Setting<Boolean> ENABLED = Setting.of("insight.enabled", ValueParser.bool(), "true",
      "database insight over the configured databases", "VIGIL_INSIGHT_ENABLED");
  static final Setting<Duration> INTERVAL = Setting.of("insight.interval",
      ValueParser.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
      InsightSettings.DEFAULTS.snapshotInterval().toSeconds() + "s", "how often query statistics are snapshotted",
      "VIGIL_INSIGHT_INTERVAL");
  static final Setting<Duration> STATEMENT_TIMEOUT = Setting.of("insight.statement_timeout",
      ValueParser.duration(Duration.ofMillis(100), Duration.ofMinutes(5)),
      InsightSettings.DEFAULTS.statementTimeout().toMillis() + "ms", "limit on every statement insight runs",
      "VIGIL_INSIGHT_STATEMENT_TIMEOUT");

  @Override
  public String name() {
    return "insight";
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(ENABLED, INTERVAL, STATEMENT_TIMEOUT);
  }

  @Override
  public boolean enabled(VigilConfig config) {
    return config.get(ENABLED);
  }

  @Override
  public String howToEnable() {
    return "set insight.enabled: true (VIGIL_INSIGHT_ENABLED)";
  }

  @Override
  public List<String> paths() {
    return List.of("/api/db");
  }

  @Override
  public void start(ServerContext context) {
    VigilConfig config = context.config();
    InsightSettings settings = InsightSettings.DEFAULTS.withSnapshotInterval(config.get(INTERVAL))
        .withStatementTimeout(config.get(STATEMENT_TIMEOUT)).withSlowQueryWarn(config.get(MonitoringSettings.SLOW_QUERY));
    Map<String, DatabaseInsight> databases = new LinkedHashMap<>();
    config.databases().forEach((name, url) -> databases.put(name,
        DatabaseInsight.open(name, DatabaseUrl.parse(url), context.store(), settings, context.clock())));
    InsightScheduler scheduler = context.closeOnStop(new InsightScheduler(new ArrayList<>(databases.values()),
        settings.snapshotInterval(), context.meters()));
    if (!databases.isEmpty()) {
      scheduler.start();
    }
    context.provide(InsightDatabases.class, new InsightDatabases(databases));
    context.routes().error(InsightException.class, 503, "database_unavailable");
    InsightApi.register(context.routes(), databases, scheduler, context.clock());
    context.health(name(), () -> {
      if (databases.isEmpty()) {
        return Health.degraded("no database is configured");
      }
      List<String> failing = databases.keySet().stream().filter(n -> scheduler.lastError(n) != null).toList();
      return failing.isEmpty() ? Health.up(databases.size() + " database(s) watched")
          : Health.degraded("cannot read the statistics of " + String.join(", ", failing) + ": "
              + scheduler.lastError(failing.get(0)));
    });
  }
}
