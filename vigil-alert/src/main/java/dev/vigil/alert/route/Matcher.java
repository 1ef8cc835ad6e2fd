package dev.vigil.alert.route;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A label matcher as Alertmanager writes it: {@code name="value"}, {@code name!="value"},
 * {@code name=~"regex"}, {@code name!~"regex"} (regexes match the whole value; a missing label is the
 * empty string).
 *
 * @param name the label
 * @param type one of {@code = != =~ !~}
 * @param value the value or regex
 */
public record Matcher(String name, String type, String value) {
  private static final Pattern SYNTAX = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^\"\\s]*)\\s*");

  /** Validates. */
  public Matcher {
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("matcher label name is not valid: " + name);
    }
    if (!java.util.List.of("=", "!=", "=~", "!~").contains(type)) {
      throw new IllegalArgumentException("matcher type must be = != =~ !~, got " + type);
    }
    if (value == null) {
      throw new IllegalArgumentException("matcher " + name + " has no value");
    }
    if (type.endsWith("~")) {
      try {
        Pattern.compile(value);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("matcher " + name + type + " has a bad regex: " + e.getDescription(), e);
      }
    }
  }

  /** Parses {@code name="value"} and the other three forms. */
  @JsonCreator
  public static Matcher parse(String text) {
    java.util.regex.Matcher m = SYNTAX.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException("matcher must look like name=\"value\" (or != =~ !~), got: " + text);
    }
    String v = m.group(3);
    if (v.startsWith("\"")) {
      v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return new Matcher(m.group(1), m.group(2), v);
  }

  /** Whether {@code labels} satisfy this matcher. */
  public boolean matches(Map<String, String> labels) {
    String actual = labels.getOrDefault(name, "");
    return switch (type) {
      case "=" -> actual.equals(value);
      case "!=" -> !actual.equals(value);
      case "=~" -> actual.matches(value);
      default -> !actual.matches(value);
    };
  }

  /** Whether every matcher matches. */
  public static boolean all(java.util.List<Matcher> matchers, Map<String, String> labels) {
    for (Matcher m : matchers) {
      if (!m.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** The matcher as written: {@code name="value"}. */
  @JsonValue
  @Override
  public String toString() {
    return name + type + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
