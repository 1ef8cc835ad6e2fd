package dev.vigil.server.http;

/**
 * A request that cannot be served, answered as {@code {"error":{"code","message"}}} with its status.
 * The message is shown to the client, so it names the problem and never holds a secret.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String code;

  /** Creates the error. */
  public ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** A stable machine-readable code such as {@code bad_parameter}. */
  public String code() {
    return code;
  }

  /** 400 for a bad query or path parameter, naming it. */
  public static ApiException badParameter(String name, String allowed) {
    return new ApiException(400, "bad_parameter", "parameter '" + name + "' must be " + allowed);
  }

  /**
   * 409 {@code not_enabled}: the one answer of a feature that is off on this server.
   *
   * @param feature the feature's name
   * @param howToEnable what turns it on, e.g. "set proxy.upstream"
   */
  public static ApiException notEnabled(String feature, String howToEnable) {
    return new ApiException(409, "not_enabled", feature + " is not enabled on this server (" + howToEnable + ")");
  }

  /** 404 for something that does not exist. */
  public static ApiException notFound(String what) {
    return new ApiException(404, "not_found", what + " not found");
  }
}
