package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.TestStores;
import dev.vigil.server.auth.Role;
import dev.vigil.server.auth.TokenStore;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TokenStoreTest {

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void tokensAreStoredHashedAndCheckedOnBothStores(StateStore.Kind kind, @TempDir Path dir) {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      TokenStore tokens = new TokenStore(h.store(), Clock.systemUTC());
      TokenStore.IssuedToken issued = tokens.create("deploy", Role.OPERATOR);
      String stored = h.store().jdbi().withHandle(x -> x.createQuery("SELECT hash FROM vigil_token")
          .mapTo(String.class).one());
      assertThat(stored).doesNotContain(issued.token().substring(15)).hasSize(64);
      assertThat(tokens.authenticate(issued.token())).hasValueSatisfying(t -> {
        assertThat(t.role()).isEqualTo(Role.OPERATOR);
        assertThat(t.name()).isEqualTo("deploy");
      });
      String tampered = issued.token().substring(0, issued.token().length() - 1)
          + (issued.token().endsWith("A") ? "B" : "A");
      assertThat(tokens.authenticate(tampered)).isEmpty();
      assertThat(tokens.authenticate("garbage")).isEmpty();
      assertThat(tokens.hasActiveAdmin()).isFalse();
      assertThat(tokens.revoke(issued.info().id())).isTrue();
      assertThat(tokens.authenticate(issued.token())).isEmpty();
      assertThat(tokens.list()).singleElement().satisfies(t -> assertThat(t.active()).isFalse());
      assertThatThrownBy(() -> tokens.create("", Role.VIEWER)).hasMessageContaining("token name");
      assertThatThrownBy(() -> tokens.create("a/b", Role.VIEWER)).hasMessageContaining("token name");
    }
  }
}
