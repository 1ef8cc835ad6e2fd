package dev.vigil.server.monitoring;

import static dev.vigil.core.config.ValueParser.decimalText;
import static dev.vigil.core.config.ValueParser.durationText;

import dev.vigil.core.config.ConfigException;
import dev.vigil.core.config.Setting;
import dev.vigil.core.config.ValueParser;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.anomaly.AnomalyOptions;
import dev.vigil.monitor.apm.ApmOptions;
import dev.vigil.monitor.health.Thresholds;
import java.time.Duration;
import java.util.List;

/** The {@code monitoring.*} settings; their defaults are the monitoring library's. */
public final class MonitoringSettings {
  private MonitoringSettings() {
  }

  /** Whether host monitoring runs. */
  public static final Setting<Boolean> MONITORING_ENABLED = Setting.of("monitoring.enabled", ValueParser.bool(), "true",
      "host monitoring on or off", "ENABLE_MONITORING");
  /** Sampling interval. */
  public static final Setting<Duration> MONITORING_INTERVAL = Setting.of("monitoring.interval",
      ValueParser.duration(Duration.ofMillis(200), Duration.ofHours(1)), durationText(SystemMonitor.DEFAULT_INTERVAL),
      "sampling interval (bare number = seconds)", "MONITORING_INTERVAL");
  /** How much sample history is kept in memory. */
  public static final Setting<Duration> MONITORING_HISTORY = Setting.of("monitoring.history",
      ValueParser.duration(Duration.ofMinutes(1), Duration.ofDays(1)), durationText(SystemMonitor.DEFAULT_HISTORY),
      "in-memory sample history");
  /** CPU warning threshold. */
  public static final Setting<Double> CPU_WARNING = Setting.of("monitoring.cpu_threshold", ValueParser.decimal(0, 100),
      decimalText(Thresholds.DEFAULT_CPU_WARNING), "CPU % at which health is warning", "MONITORING_CPU_THRESHOLD");
  /** RAM warning threshold. */
  public static final Setting<Double> RAM_WARNING = Setting.of("monitoring.ram_threshold", ValueParser.decimal(0, 100),
      decimalText(Thresholds.DEFAULT_RAM_WARNING), "RAM % at which health is warning", "MONITORING_RAM_THRESHOLD");
  /** Disk warning threshold. */
  public static final Setting<Double> DISK_WARNING = Setting.of("monitoring.disk_threshold",
      ValueParser.decimal(0, 100), decimalText(Thresholds.DEFAULT_DISK_WARNING), "disk % at which health is warning",
      "MONITORING_DISK_THRESHOLD");
  /** CPU critical threshold. */
  public static final Setting<Double> CPU_CRITICAL = Setting.of("monitoring.cpu_critical", ValueParser.decimal(0, 100),
      decimalText(Thresholds.DEFAULT_CRITICAL), "CPU % at which health is critical", "MONITORING_CPU_CRITICAL");
  /** RAM critical threshold. */
  public static final Setting<Double> RAM_CRITICAL = Setting.of("monitoring.ram_critical", ValueParser.decimal(0, 100),
      decimalText(Thresholds.DEFAULT_CRITICAL), "RAM % at which health is critical", "MONITORING_RAM_CRITICAL");
  /** Disk critical threshold. */
  public static final Setting<Double> DISK_CRITICAL = Setting.of("monitoring.disk_critical",
      ValueParser.decimal(0, 100), decimalText(Thresholds.DEFAULT_CRITICAL), "disk % at which health is critical",
      "MONITORING_DISK_CRITICAL");
  /** Queries slower than this are logged as a warning by the performance monitor. */
  public static final Setting<Duration> SLOW_QUERY = Setting.of("monitoring.slow_query",
      ValueParser.duration(Duration.ofMillis(1), Duration.ofHours(1)), durationText(ApmOptions.DEFAULT_SLOW_QUERY),
      "queries slower than this are logged", "MONITORING_SLOW_QUERY");
  /** Operations slower than this are logged as a warning by the performance monitor. */
  public static final Setting<Duration> SLOW_OPERATION = Setting.of("monitoring.slow_operation",
      ValueParser.duration(Duration.ofMillis(1), Duration.ofHours(1)), durationText(ApmOptions.DEFAULT_SLOW_OPERATION),
      "operations slower than this are logged", "MONITORING_SLOW_OPERATION");
  /** Robust score above which a reading is flagged as an anomaly. */
  public static final Setting<Double> ANOMALY_BOUND = Setting.of("monitoring.anomaly_bound",
      ValueParser.decimal(1, 100), decimalText(AnomalyOptions.DEFAULT_BOUND),
      "robust score (median/MAD) above which a reading is an anomaly", "MONITORING_ANOMALY_BOUND");

  /** Every monitoring setting, in the order {@code vigil config} prints them. */
  public static final List<Setting<?>> ALL = List.of(MONITORING_ENABLED, MONITORING_INTERVAL, MONITORING_HISTORY,
      CPU_WARNING, RAM_WARNING, DISK_WARNING, CPU_CRITICAL, RAM_CRITICAL, DISK_CRITICAL, SLOW_QUERY, SLOW_OPERATION,
      ANOMALY_BOUND);

  /**
   * Refuses a warning threshold above its critical one, in one line naming both keys.
   *
   * @throws ConfigException for the first such pair
   */
  public static void checkThresholdOrder(VigilConfig config) {
    checkOrder(config, CPU_WARNING, CPU_CRITICAL);
    checkOrder(config, RAM_WARNING, RAM_CRITICAL);
    checkOrder(config, DISK_WARNING, DISK_CRITICAL);
  }

  private static void checkOrder(VigilConfig config, Setting<Double> warning, Setting<Double> critical) {
    double w = config.get(warning);
    double c = config.get(critical);
    if (w > c) {
      throw new ConfigException(warning.key(), String.valueOf(w), "at most " + critical.key() + " (" + c + ")");
    }
  }
}
