package dev.vigil.cache.codec;

/** A value could not be encoded or decoded; the message names the class or type involved. */
public final class CodecException extends RuntimeException {
  /** Creates the exception with its context message and cause. */
  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
