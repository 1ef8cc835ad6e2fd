package dev.vigil.server.auth;

import java.util.Locale;

/** What a token may do; each role includes the ones before it. */
public enum Role {
  /** Reads everything. */
  VIEWER,
  /** Also creates backups and clears caches. */
  OPERATOR,
  /** Also restores, deletes, manages tokens and config. */
  ADMIN;

  /** Whether a holder of this role may use a route that requires {@code required}. */
  public boolean includes(Role required) {
    return ordinal() >= required.ordinal();
  }

  /** The lower-case name used in the API and CLI. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code viewer}, {@code operator} or {@code admin}.
   *
   * @throws IllegalArgumentException naming the allowed roles
   */
  public static Role parse(String text) {
    if (text != null) {
      for (Role r : values()) {
        if (r.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
          return r;
        }
      }
    }
    throw new IllegalArgumentException("role must be one of viewer, operator, admin; got '" + text + "'");
  }
}
