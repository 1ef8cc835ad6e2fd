package dev.vigil.server.auth;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a token may do. A route names the set of roles allowed to call it ({@link #andAbove()} of its
 * least role for the routes of this API); a token holds one role and may use the routes of every role
 * it {@link #granted() is granted}.
 */
public enum Role {
  /** Reads everything. */
  VIEWER,
  /** Also creates backups and clears caches. */
  OPERATOR,
  /** Also restores, deletes, manages tokens and config. */
  ADMIN;

  static {
    for (Role r : values()) {
      r.andAbove = Collections.unmodifiableSet(EnumSet.range(r, ADMIN));
      r.granted = Collections.unmodifiableSet(EnumSet.range(VIEWER, r));
    }
  }

  private Set<Role> andAbove;
  private Set<Role> granted;

  /** The roles allowed on a route whose least role is this one: this role and every role above it. */
  public Set<Role> andAbove() {
    return andAbove;
  }

  /** The roles whose routes a holder of this role may use: this role and every role below it. */
  public Set<Role> granted() {
    return granted;
  }

  /** Whether a holder of this role may use a route that requires {@code required}. */
  public boolean includes(Role required) {
    return required.andAbove().contains(this);
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
