package dev.vigil.monitor;

/**
 * Receives every new sample (alerting subscribes here). Called on the sampling thread, in order; keep it
 * quick or hand the work to another thread. An exception it throws is logged and does not stop sampling.
 */
@FunctionalInterface
public interface SampleListener {
  /** Called once per sample. */
  void onSample(Sample sample);
}
