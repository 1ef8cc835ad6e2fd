package dev.vigil.core.config;

import dev.vigil.core.url.Secrets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One config key: its dotted YAML name, the environment variables that override it, how its text
 * is parsed, its default, and whether its value is a secret that must never be printed.
 *
 * <p>Every key is also overridable by {@code VIGIL_} followed by the key in upper case with dots as
 * underscores ({@code server.port} → {@code VIGIL_SERVER_PORT}); {@link #envNames()} lists that
 * name first, then the documented and short aliases.
 *
 * @param key dotted name as written in {@code vigil.yml}
 * @param envNames environment variables that set it, first present wins
 * @param parser parses and validates the text
 * @param defaultText the default as text, or {@code null} when the key is optional
 * @param secret how the value is masked when shown
 * @param description one line for {@code vigil config} and the README
 * @param <T> the typed value
 */
public record Setting<T>(String key, List<String> envNames, ValueParser<T> parser, String defaultText,
    Secret secret, String description) {

  /** How a value is masked when shown. */
  public enum Secret {
    /** Shown as is. */
    NONE,
    /** Shown as {@code ****}. */
    WHOLE,
    /** A URL whose password part is shown as {@code ****}. */
    URL_PASSWORD
  }

  /** Validates the definition. */
  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(parser, "parser");
    Objects.requireNonNull(secret, "secret");
    envNames = List.copyOf(envNames);
  }

  /** A setting with the generic {@code VIGIL_*} variable plus {@code aliases}. */
  public static <T> Setting<T> of(String key, ValueParser<T> parser, String defaultText, String description,
      String... aliases) {
    return new Setting<>(key, envList(key, aliases), parser, defaultText, Secret.NONE, description);
  }

  /** The same setting with values masked as {@code secret} says. */
  public Setting<T> masked(Secret how) {
    return new Setting<>(key, envNames, parser, defaultText, how, description);
  }

  /** The generic environment variable for a dotted key. */
  public static String genericEnvName(String key) {
    return "VIGIL_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** {@code text} as it may be shown: masked when this setting holds a secret. */
  public String show(String text) {
    if (text == null) {
      return null;
    }
    return switch (secret) {
      case NONE -> text;
      case WHOLE -> Secrets.MASK;
      case URL_PASSWORD -> maskUrlPassword(text);
    };
  }

  /**
   * Replaces the password in {@code scheme://user:password@host} and in a {@code ?password=} query
   * parameter with {@value Secrets#MASK}.
   */
  public static String maskUrlPassword(String url) {
    return Secrets.maskUrlPasswords(url);
  }

  private static List<String> envList(String key, String... aliases) {
    String[] names = new String[aliases.length + 1];
    names[0] = genericEnvName(key);
    System.arraycopy(aliases, 0, names, 1, aliases.length);
    return List.of(names);
  }
}
