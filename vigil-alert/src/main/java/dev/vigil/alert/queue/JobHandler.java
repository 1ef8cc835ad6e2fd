package dev.vigil.alert.queue;

/**
 * Runs one job. Returning normally completes it; throwing {@link PermanentJobException}
 * dead-letters it at once (a wrong password will not get better by retrying); any other exception is
 * a transient failure, retried with backoff until the job's attempts or age run out.
 */
@FunctionalInterface
public interface JobHandler {
  /** Does the work of {@code job}. */
  void handle(Job job) throws Exception;
}
