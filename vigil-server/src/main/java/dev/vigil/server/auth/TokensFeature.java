package dev.vigil.server.auth;

import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.ServerContext;

/** Managing API tokens over HTTP ({@code /api/tokens}); the token store and authenticator belong to the server. */
public final class TokensFeature implements Feature {
  @Override
  public String name() {
    return "tokens";
  }

  @Override
  public void start(ServerContext context) {
    TokenApi.register(context.routes(), require(context, TokenStore.class), require(context, Authenticator.class));
  }

  private static <T> T require(ServerContext context, Class<T> type) {
    return context.find(type).orElseThrow(() -> new IllegalStateException(type.getSimpleName()
        + " is provided by the server before its features"));
  }
}
