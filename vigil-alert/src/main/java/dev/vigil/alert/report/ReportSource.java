package dev.vigil.alert.report;

import java.time.Instant;

/** Reads one section of the weekly report for the period {@code [from, to)}. */
@FunctionalInterface
public interface ReportSource {
  /**
   * The section's content.
   *
   * @throws RuntimeException when its data cannot be read (the page shows the section as unavailable)
   */
  ReportTable read(Instant from, Instant to);
}
