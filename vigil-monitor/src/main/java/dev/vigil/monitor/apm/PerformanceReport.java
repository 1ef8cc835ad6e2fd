package dev.vigil.monitor.apm;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What the application's tracked queries and operations cost, most total time first.
 *
 * @param slowQueryThresholdMs queries slower than this are logged
 * @param slowOperationThresholdMs operations slower than this are logged
 * @param queries one entry per query shape
 * @param operations one entry per operation name
 */
@JsonPropertyOrder({"slow_query_threshold_ms", "slow_operation_threshold_ms", "queries", "operations"})
public record PerformanceReport(
    @JsonProperty("slow_query_threshold_ms") long slowQueryThresholdMs,
    @JsonProperty("slow_operation_threshold_ms") long slowOperationThresholdMs,
    @JsonProperty("queries") List<LatencyStats> queries,
    @JsonProperty("operations") List<LatencyStats> operations) {

  /** Copies the lists. */
  public PerformanceReport {
    queries = List.copyOf(queries);
    operations = List.copyOf(operations);
  }
}
