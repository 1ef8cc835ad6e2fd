package dev.vigil.core.config;

/**
 * A configuration value that cannot be used. Its message is one line naming the key, the value
 * (masked when the key holds a secret) and what is allowed, so start-up can print it as is.
 */
public final class ConfigException extends RuntimeException {
  private final String key;

  /** Creates the error for {@code key}, whose {@code shownValue} is already masked if secret. */
  public ConfigException(String key, String shownValue, String allowed) {
    super("invalid config " + key + "=" + quote(shownValue) + ": allowed " + allowed);
    this.key = key;
  }

  /** The dotted config key (or environment variable) at fault. */
  public String key() {
    return key;
  }

  private static String quote(String value) {
    return value == null ? "(none)" : "'" + value + "'";
  }
}
