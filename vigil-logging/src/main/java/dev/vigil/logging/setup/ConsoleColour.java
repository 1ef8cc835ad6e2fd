package dev.vigil.logging.setup;

import java.util.Map;

/** Whether console records are coloured by level. */
public enum ConsoleColour {
  /** Colour only when the console is a terminal, {@code NO_COLOR} is unset or empty and {@code TERM} is not dumb. */
  AUTO,
  /** Always colour (an explicit choice wins over {@code NO_COLOR}). */
  ALWAYS,
  /** Never colour. */
  NEVER;

  /**
   * Decides for this process.
   *
   * @param terminal whether the console is a terminal
   * @param env the environment ({@code NO_COLOR}, {@code TERM})
   */
  public boolean resolve(boolean terminal, Map<String, String> env) {
    return switch (this) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTO -> terminal && isBlank(env.get("NO_COLOR")) && !"dumb".equals(env.get("TERM"));
    };
  }

  /** Whether this JVM's console is a terminal. */
  public static boolean consoleIsTerminal() {
    return System.console() != null;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isEmpty();
  }
}
