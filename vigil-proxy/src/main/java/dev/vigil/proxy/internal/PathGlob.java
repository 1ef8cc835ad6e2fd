package dev.vigil.proxy.internal;

import java.util.regex.Pattern;

/** A path glob: {@code *} matches within a segment, {@code **} across segments. */
public final class PathGlob {
  private final Pattern pattern;

  /** Compiles a glob. */
  public PathGlob(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          re.append(".*");
          i++;
        } else {
          re.append("[^/]*");
        }
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    this.pattern = Pattern.compile(re.toString());
  }

  /** Whether a path matches. */
  public boolean matches(String path) {
    return pattern.matcher(path).matches();
  }
}
