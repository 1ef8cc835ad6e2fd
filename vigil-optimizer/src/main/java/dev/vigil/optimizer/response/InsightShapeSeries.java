package dev.vigil.optimizer.response;

import dev.vigil.insight.DatabaseInsight;
import dev.vigil.insight.QueryShape;
import dev.vigil.insight.QuerySort;
import dev.vigil.insight.ShapePoint;
import dev.vigil.insight.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Query-shape series from database insight: for each database, the shapes that took the most time over
 * the last {@code to − from} (insight's windows end at its clock's now, which is where a caller's range
 * ends), each with its per-snapshot history between {@code from} and {@code to}.
 */
public final class InsightShapeSeries implements ShapeSeriesSource {
  /** Most shapes read per database, by default. */
  public static final int DEFAULT_MAX_SHAPES = 50;

  private final Supplier<? extends Collection<DatabaseInsight>> databases;
  private final int maxShapes;

  /**
   * Series of the top {@code maxShapes} shapes (by total time) of each database.
   *
   * @throws IllegalArgumentException when {@code maxShapes} is not 1-1000
   */
  public InsightShapeSeries(Supplier<? extends Collection<DatabaseInsight>> databases, int maxShapes) {
    this.databases = Objects.requireNonNull(databases, "databases");
    if (maxShapes < 1 || maxShapes > 1000) {
      throw new IllegalArgumentException("most shapes per database must be 1-1000; got " + maxShapes);
    }
    this.maxShapes = maxShapes;
  }

  @Override
  public List<ShapeSeries> series(Instant from, Instant to) {
    List<ShapeSeries> out = new ArrayList<>();
    Duration length = Duration.between(from, to);
    if (length.toSeconds() < 1) {
      return out;
    }
    for (DatabaseInsight db : databases.get()) {
      for (QueryShape shape : db.queries(Window.last(length), QuerySort.TOTAL_TIME, maxShapes).shapes()) {
        List<ShapeSeries.Point> points = new ArrayList<>();
        for (ShapePoint p : db.series(shape.shapeId(), from, to)) {
          points.add(new ShapeSeries.Point(p.at(), p.totalMs()));
        }
        out.add(new ShapeSeries(db.name(), shape.shapeId(), shape.query(), points));
      }
    }
    return out;
  }
}
