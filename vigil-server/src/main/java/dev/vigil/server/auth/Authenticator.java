package dev.vigil.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves bearer tokens to their {@link TokenInfo}, remembering good answers for a few seconds so
 * that a busy client does not cost a store query per request. A token revoked through this server is
 * forgotten at once; one revoked from the CLI in another process stops working within {@link #TTL}.
 */
public final class Authenticator {
  /** How long a good answer is remembered. */
  public static final Duration TTL = Duration.ofSeconds(10);

  private final TokenStore tokens;
  // maintenance runs on the calling thread: cheap, and no hand-off to the common pool on a hot path
  private final Cache<String, TokenInfo> recent = Caffeine.newBuilder()
      .maximumSize(10_000).expireAfterWrite(TTL).executor(Runnable::run).build();

  /** Creates the authenticator over {@code tokens}. */
  public Authenticator(TokenStore tokens) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
  }

  /** The active token for {@code bearer}, or empty. */
  public Optional<TokenInfo> authenticate(String bearer) {
    if (bearer == null || bearer.length() > 200) {
      return Optional.empty();
    }
    TokenInfo known = recent.getIfPresent(bearer);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<TokenInfo> found = tokens.authenticate(bearer);
    found.ifPresent(info -> recent.put(bearer, info));
    return found;
  }

  /** Forgets every remembered answer for the token with {@code id}. */
  public void forget(String id) {
    recent.asMap().values().removeIf(info -> info.id().equals(id));
  }
}
