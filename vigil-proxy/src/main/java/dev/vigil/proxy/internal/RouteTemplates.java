package dev.vigil.proxy.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns request paths into route templates: configured templates first ({@code {name}} matches one
 * segment), then numbers, UUIDs and hex hashes become {@code {id}}.
 */
public final class RouteTemplates {
  private static final int UUID_LENGTH = 36;
  private static final int MIN_HEX_ID = 16;
  private static final int MAX_SEGMENTS = 32;

  private final List<String[]> configured = new ArrayList<>();
  private final List<String> configuredNames = new ArrayList<>();

  /** Templates from configuration, e.g. {@code /api/projects/{id}/tasks/{task}}. */
  public RouteTemplates(List<String> templates) {
    for (String t : templates) {
      configured.add(split(t));
      configuredNames.add(t);
    }
  }

  /** The template of a raw request path (no query). */
  public String template(String path) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    String[] segs = split(path);
    for (int i = 0; i < configured.size(); i++) {
      if (matches(configured.get(i), segs)) {
        return configuredNames.get(i);
      }
    }
    StringBuilder sb = new StringBuilder(path.length());
    int n = Math.min(segs.length, MAX_SEGMENTS);
    for (int i = 0; i < n; i++) {
      sb.append('/');
      String s = segs[i];
      if (isId(s)) {
        sb.append("{id}");
      } else {
        sb.append(s.length() > 64 ? "{long}" : s);
      }
    }
    if (segs.length > MAX_SEGMENTS) {
      sb.append("/...");
    }
    if (path.endsWith("/") && path.length() > 1) {
      sb.append('/');
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }

  /**
   * Whether a segment is an identifier: a whole number (optionally negative), a UUID, or a hex hash of
   * at least {@value #MIN_HEX_ID} digits with a decimal digit in it (so a long word of the letters a–f is
   * not one). Checked by hand: this runs for every segment of every proxied request.
   */
  static boolean isId(String s) {
    int n = s.length();
    int start = n > 1 && s.charAt(0) == '-' ? 1 : 0;
    boolean number = n > start;
    for (int i = start; i < n && number; i++) {
      number = s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }
    if (number) {
      return true;
    }
    if (n == UUID_LENGTH) {
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !isHex(c)) {
          return false;
        }
      }
      return true;
    }
    if (n < MIN_HEX_ID) {
      return false;
    }
    boolean digit = false;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!isHex(c)) {
        return false;
      }
      digit |= c <= '9';
    }
    return digit;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean matches(String[] template, String[] segs) {
    if (template.length != segs.length) {
      return false;
    }
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      boolean param = t.length() > 2 && t.charAt(0) == '{' && t.charAt(t.length() - 1) == '}';
      if (!param && !t.equals(segs[i])) {
        return false;
      }
      if (param && segs[i].isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }
}
