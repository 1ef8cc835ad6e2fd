package dev.vigil.insight;

import java.time.Instant;

/**
 * What one shape did in one snapshot interval: a point of its history.
 *
 * @param at the end of the interval
 * @param calls executions in the interval
 * @param totalMs total execution time in the interval
 * @param meanMs mean time per call in the interval
 * @param rows rows returned or affected
 */
public record ShapePoint(Instant at, long calls, double totalMs, double meanMs, long rows) {
}
