package dev.vigil.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} in the text values of a config section with the environment variable
 * {@code NAME}, so secrets such as webhook keys and SMTP passwords stay out of {@code vigil.yml}.
 * A reference to an unset variable is a {@link ConfigException} naming the key and the variable
 * (never its value).
 */
final class EnvReferences {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private EnvReferences() {
  }

  /** A copy of {@code node} (found at {@code key}) with every reference replaced. */
  static JsonNode resolve(String key, JsonNode node, Map<String, String> env) {
    if (node.isTextual()) {
      return TextNode.valueOf(replace(key, node.asText(), env));
    }
    if (node.isArray()) {
      ArrayNode copy = ((ArrayNode) node).arrayNode();
      for (int i = 0; i < node.size(); i++) {
        copy.add(resolve(key + "[" + i + "]", node.get(i), env));
      }
      return copy;
    }
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        copy.set(f.getKey(), resolve(key + "." + f.getKey(), f.getValue(), env));
      }
      return copy;
    }
    return node;
  }

  private static String replace(String key, String text, Map<String, String> env) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      if (value == null) {
        throw new ConfigException(key, "${" + m.group(1) + "}", "a reference to an environment variable that is set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
