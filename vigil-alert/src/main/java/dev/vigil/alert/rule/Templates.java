package dev.vigil.alert.rule;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Annotation templates: {@code {{ value }}}, {@code {{ threshold }}}, {@code {{ rule }}} and
 * {@code {{ labels.NAME }}}; anything else is left as written so a typo is visible.
 */
final class Templates {
  private static final Pattern VAR = Pattern.compile("\\{\\{\\s*\\$?([A-Za-z_][A-Za-z0-9_.]*)\\s*}}");

  private Templates() {
  }

  static String render(String template, Rule rule, double value, Map<String, String> labels) {
    Matcher m = VAR.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String replacement;
      if (name.equals("value")) {
        replacement = number(value);
      } else if (name.equals("threshold")) {
        replacement = number(rule.threshold());
      } else if (name.equals("rule")) {
        replacement = rule.name();
      } else if (name.startsWith("labels.") && labels.containsKey(name.substring(7))) {
        replacement = labels.get(name.substring(7));
      } else {
        replacement = m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
