package dev.vigil.server.alert;

/** A request to the alert routes was wrong (bad matcher, unknown receiver, past expiry): 400. */
final class AlertRequestException extends RuntimeException {
  AlertRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
