package dev.vigil.optimizer.database;

import dev.vigil.insight.DatabaseInsight;
import dev.vigil.insight.ShapePoint;
import dev.vigil.optimizer.Probe;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mean time per call of some query shapes, from database insight's history: one sample per
 * snapshot interval in which any of them ran (total time over calls of all of them), so shapes that run
 * more weigh more. A point stands for the interval that ends at its instant, so {@code samples(from, to)}
 * takes the intervals ending in {@code (from, to]}: the interval ending when a change was applied
 * counts as before it.
 */
final class ShapeProbe implements Probe {
  private final DatabaseInsight insight;
  private final String name;
  private final List<String> shapeIds;

  ShapeProbe(DatabaseInsight insight, String what, List<String> shapeIds) {
    this.insight = insight;
    this.shapeIds = List.copyOf(shapeIds);
    this.name = what + " (" + this.shapeIds.size() + " shape(s), mean ms per call)";
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
    Map<Instant, double[]> byInterval = new TreeMap<>();
    for (String id : shapeIds) {
      for (ShapePoint p : insight.series(id, from, to)) {
        if (p.calls() > 0) {
          double[] sum = byInterval.computeIfAbsent(p.at(), k -> new double[2]);
          sum[0] += p.totalMs();
          sum[1] += p.calls();
        }
      }
    }
    return byInterval.values().stream().mapToDouble(s -> s[0] / s[1]).toArray();
  }
}
