package dev.vigil.optimizer.response;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One query shape's history.
 *
 * @param database the configured database it ran on
 * @param shapeId the shape's stable id (e.g. PostgreSQL's queryid)
 * @param query the normalized statement
 * @param points time spent per interval, oldest first
 */
public record ShapeSeries(String database, String shapeId, String query, List<Point> points) {
  /** Validates the series and copies its points. */
  public ShapeSeries {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(shapeId, "shapeId");
    Objects.requireNonNull(query, "query");
    points = List.copyOf(points);
  }

  /**
   * What the shape did in one interval.
   *
   * @param at the end of the interval
   * @param totalMs total execution time in the interval, ms
   */
  public record Point(Instant at, double totalMs) {
  }
}
