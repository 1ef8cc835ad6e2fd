package dev.vigil.logging.audit;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON encoding audit records are hashed in: no whitespace, object keys sorted by code point,
 * strings escaped minimally (quote, backslash and control characters only, everything else as UTF-8),
 * integers in plain digits, other numbers as {@link Double#toString(double)} (non-finite ones as
 * strings). The same value always gives the same bytes, so anyone can recompute a record's hash.
 */
final class CanonicalJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalJson() {
  }

  /** Appends {@code value} canonically. */
  static void value(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof CharSequence s) {
      string(out, s);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0
        && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
      out.append(d.toBigInteger());
    } else if (value instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isFinite(d)) {
        out.append(d);
      } else {
        string(out, Double.toString(d));
      }
    } else if (value instanceof Map<?, ?> m) {
      object(out, m);
    } else if (value instanceof Collection<?> c) {
      out.append('[');
      boolean first = true;
      for (Object o : c) {
        if (!first) {
          out.append(',');
        }
        first = false;
        value(out, o);
      }
      out.append(']');
    } else if (value.getClass().isArray()) {
      out.append('[');
      for (int i = 0, n = Array.getLength(value); i < n; i++) {
        if (i > 0) {
          out.append(',');
        }
        value(out, Array.get(value, i));
      }
      out.append(']');
    } else {
      string(out, value.toString());
    }
  }

  /** Appends a map as an object with its keys sorted. */
  static void object(StringBuilder out, Map<?, ?> map) {
    TreeMap<String, Object> sorted = new TreeMap<>();
    map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> e : sorted.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, e.getKey());
      out.append(':');
      value(out, e.getValue());
    }
    out.append('}');
  }

  /** Appends a JSON string. */
  static void string(StringBuilder out, CharSequence s) {
    out.append('"');
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Appends a string or {@code null}. */
  static void nullableString(StringBuilder out, String s) {
    if (s == null) {
      out.append("null");
    } else {
      string(out, s);
    }
  }
}
