package dev.vigil.alert.receiver;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A secret from the configuration (password, token, webhook URL with a key in it). Its
 * {@link #toString()} is masked so it cannot leak into logs or JSON by accident; only receivers read
 * {@link #reveal()}.
 */
public final class Secret {
  private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  /** What a secret prints as. */
  public static final String MASK = "********";
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** A secret holding {@code value} as is. */
  public static Secret of(String value) {
    return new Secret(Objects.requireNonNull(value, "secret"));
  }

  /**
   * A secret from a configured value, replacing each {@code ${NAME}} with the environment variable.
   *
   * @param setting the setting's name, for the error
   * @throws IllegalArgumentException naming the setting and the variable when a variable is unset
   */
  public static Secret resolve(String configured, Map<String, String> env, String setting) {
    return new Secret(substitute(configured, env, setting));
  }

  /** Replaces each {@code ${NAME}} in {@code text} with the environment variable. */
  public static String substitute(String text, Map<String, String> env, String setting) {
    if (text == null) {
      throw new IllegalArgumentException(setting + " is not set");
    }
    Matcher m = ENV.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = env.get(m.group(1));
      if (v == null) {
        throw new IllegalArgumentException(setting + " refers to environment variable " + m.group(1) + ", which is not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The secret itself. */
  public String reveal() {
    return value;
  }

  /** Whether it is empty. */
  public boolean isEmpty() {
    return value.isEmpty();
  }

  /** {@value #MASK}. */
  @Override
  public String toString() {
    return MASK;
  }
}
