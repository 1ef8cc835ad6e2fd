package dev.vigil.backup.engine;

import dev.vigil.core.url.Secrets;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Removes secrets (passwords, in plain and URL-encoded form) from text before it reaches a log line,
 * an exception message or a stored failure reason.
 */
public final class Redactor {
  private static final Redactor NONE = new Redactor(List.of());
  private final List<String> secrets;

  /** A redactor for the given secrets; nulls and empty strings are ignored. */
  public Redactor(Collection<String> secrets) {
    List<String> s = new ArrayList<>();
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        s.add(secret);
        String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        if (!encoded.equals(secret)) {
          s.add(encoded);
        }
      }
    }
    s.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = List.copyOf(s);
  }

  /** A redactor that removes nothing (no secrets known). */
  public static Redactor none() {
    return NONE;
  }

  /** A redactor for the password of {@code url}. */
  public static Redactor of(DatabaseUrl url) {
    return url.password() == null ? NONE : new Redactor(List.of(url.password()));
  }

  /** This redactor plus the password of {@code other} (nothing added when it is null or has none). */
  public Redactor and(DatabaseUrl other) {
    if (other == null || other.password() == null) {
      return this;
    }
    List<String> all = new ArrayList<>(secrets);
    all.add(other.password());
    return new Redactor(all);
  }

  /**
   * {@code text} with every known secret and every URL password replaced by {@value Secrets#MASK};
   * {@code null} stays {@code null}.
   */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, Secrets.MASK);
    }
    return Secrets.maskUrlPasswords(out);
  }
}
