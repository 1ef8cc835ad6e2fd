package dev.vigil.server.feature;

import dev.vigil.core.config.ConfigLoader;
import dev.vigil.core.config.Setting;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.server.alert.AlertFeature;
import dev.vigil.server.audit.AuditFeature;
import dev.vigil.server.auth.TokensFeature;
import dev.vigil.server.backup.BackupFeature;
import dev.vigil.server.cache.CacheFeature;
import dev.vigil.server.dashboard.DashboardFeature;
import dev.vigil.server.insight.InsightFeature;
import dev.vigil.server.logging.LoggingFeature;
import dev.vigil.server.metrics.MetricsFeature;
import dev.vigil.server.monitoring.MonitoringFeature;
import dev.vigil.server.optimizer.OptimizerFeature;
import dev.vigil.server.proxy.ProxyFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The server is this list: features start in this order (a feature finds the services of those
 * before it) and close in reverse. Adding a feature is one line here. Features hold no state of their
 * own between starts: what {@link Feature#start} builds lives in its {@link ServerContext}.
 */
public final class Features {
  /** Every feature of the server, in start order. */
  public static final List<Feature> ALL = List.of(
      new MetricsFeature(),
      new LoggingFeature(),
      new AuditFeature(),
      new TokensFeature(),
      new CacheFeature(),
      new MonitoringFeature(),
      new DashboardFeature(),
      new BackupFeature(),
      new InsightFeature(),
      new ProxyFeature(),
      new OptimizerFeature(),
      new AlertFeature());

  private Features() {
  }

  /** The settings every feature declares, in list order. */
  public static List<Setting<?>> settings() {
    List<Setting<?>> all = new ArrayList<>();
    ALL.forEach(f -> all.addAll(f.settings()));
    return all;
  }

  /** The structured sections every feature declares. */
  public static List<String> sections() {
    List<String> all = new ArrayList<>();
    ALL.forEach(f -> all.addAll(f.sections()));
    return all;
  }

  /**
   * Loads the configuration with every feature's settings and sections, and lets every feature
   * {@link Feature#validate validate} it.
   *
   * @param file the {@code --config} file, or {@code null} for {@code VIGIL_CONFIG}, then {@code ./vigil.yml}
   * @param env the environment
   */
  public static VigilConfig loadConfig(Path file, Map<String, String> env) {
    VigilConfig config = ConfigLoader.load(file, env, settings(), sections());
    ALL.forEach(f -> f.validate(config));
    return config;
  }
}
