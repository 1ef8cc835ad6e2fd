package dev.vigil.server.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A token as listed: never its secret.
 *
 * @param id short public id, used to revoke it
 * @param name what it is for
 * @param role what it may do
 * @param createdAt when it was created
 * @param revokedAt when it was revoked, or {@code null}
 */
public record TokenInfo(String id, String name, Role role, @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("revoked_at") Instant revokedAt) {

  /** Whether the token still works. */
  @JsonProperty("active")
  public boolean active() {
    return revokedAt == null;
  }

  /** The role's label for JSON. */
  @JsonProperty("role")
  public String roleLabel() {
    return role.label();
  }
}
