package dev.vigil.server.feature;

import java.util.Objects;

/**
 * The state of one part of the server as a health check reports it.
 *
 * @param status up, degraded (working with less, e.g. the cache without Redis) or down
 * @param message one human sentence, never a secret
 */
public record Health(Status status, String message) {
  /** How well a part works. */
  public enum Status { UP, DEGRADED, DOWN }

  /** Validates the record. */
  public Health {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
  }

  /** Working as configured. */
  public static Health up(String message) {
    return new Health(Status.UP, message);
  }

  /** Working with less than configured. */
  public static Health degraded(String message) {
    return new Health(Status.DEGRADED, message);
  }

  /** Not working. */
  public static Health down(String message) {
    return new Health(Status.DOWN, message);
  }
}
