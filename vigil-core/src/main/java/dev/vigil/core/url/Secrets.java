package dev.vigil.core.url;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that hides passwords in text shown to people: in a URL's user part
 * ({@code scheme://user:secret@host}, also when the secret holds a raw {@code @}) and in its query
 * ({@code ?password=secret}). Every module that prints a URL goes through here.
 */
public final class Secrets {
  /** What a secret is replaced with. */
  public static final String MASK = "****";

  /**
   * {@code scheme://user:} then everything up to the LAST {@code @} before the path, so a raw {@code @}
   * inside the password is masked whole.
   */
  private static final Pattern USER_PASSWORD =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.\\-]*://[^:/?#@\\s]*):([^/?#\\s]*)@");
  private static final Pattern QUERY_PASSWORD =
      Pattern.compile("(?i)([?&;](?:password|passwd|pwd|pass|sslpassword|secret|token)=)([^&;#\\s]*)");

  private Secrets() {
  }

  /**
   * {@code text} with every URL password replaced by {@value #MASK}: the user part's password and any
   * {@code password=}-like query parameter. Text without URLs comes back unchanged; {@code null} stays
   * {@code null}.
   */
  public static String maskUrlPasswords(String text) {
    if (text == null) {
      return null;
    }
    String out = USER_PASSWORD.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
    return QUERY_PASSWORD.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
  }
}
