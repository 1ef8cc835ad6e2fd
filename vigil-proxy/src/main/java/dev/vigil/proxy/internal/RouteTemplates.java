package dev.vigil.proxy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns request paths into route templates: configured templates first ({@code {name}} matches one
 * segment), then numbers, UUIDs and hex hashes become {@code {id}}.
 */
public final class RouteTemplates {
  private static final Pattern NUMBER = Pattern.compile("-?\\d+");
  private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{16,}");
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
      if (NUMBER.matcher(s).matches() || UUID.matcher(s).matches() || (HEX.matcher(s).matches() && hasDigit(s))) {
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

  private static boolean hasDigit(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isDigit(s.charAt(i))) {
        return true;
      }
    }
    return false;
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
