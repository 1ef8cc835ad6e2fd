package dev.vigil.server.optimizer;

import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.history.HistoryPoint;
import dev.vigil.optimizer.Probe;
import java.time.Duration;
import java.time.Instant;

/** A host metric from the monitor's history (one sample per reading, or per roll-up further back). */
final class MonitorHistoryProbe implements Probe {
  private final SystemMonitor monitor;
  private final String metric;
  private final String name;

  MonitorHistoryProbe(SystemMonitor monitor, String metric, String name) {
    this.monitor = monitor;
    this.metric = metric;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean lowerIsBetter() {
    return true;
  }

  @Override
  public double[] samples(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      return new double[0];
    }
    return monitor.history(metric, from, to, monitor.interval().compareTo(Duration.ofSeconds(1)) < 0
        ? Duration.ofSeconds(1) : monitor.interval()).points().stream().mapToDouble(HistoryPoint::avg).toArray();
  }
}
