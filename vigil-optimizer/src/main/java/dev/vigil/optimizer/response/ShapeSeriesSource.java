package dev.vigil.optimizer.response;

import java.time.Instant;
import java.util.List;

/**
 * Where the time series of the application's query shapes come from (database insight's statement
 * statistics, one point per snapshot interval), so slow routes can be linked to the queries they wait on
 * without this package depending on how insight is set up.
 */
public interface ShapeSeriesSource {
  /**
   * The shapes that ran between {@code from} and {@code to}, each with its points in that range.
   *
   * @throws Exception when the statistics cannot be read
   */
  List<ShapeSeries> series(Instant from, Instant to) throws Exception;
}
