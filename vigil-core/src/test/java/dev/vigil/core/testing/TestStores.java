package dev.vigil.core.testing;

import dev.vigil.core.store.StateStore;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * State stores for tests: each a fresh SQLite file or a fresh PostgreSQL database, so a test runs
 * against both engines with {@code @MethodSource("dev.vigil.core.testing.TestStores#kinds")}.
 */
public final class TestStores {
  private TestStores() {
  }

  /** Both engines, for parameterized tests. */
  public static Stream<StateStore.Kind> kinds() {
    return Stream.of(StateStore.Kind.SQLITE, StateStore.Kind.POSTGRESQL);
  }

  /**
   * A store of {@code kind}; for PostgreSQL its database is dropped when the returned handle closes.
   *
   * @param dir a temp dir of the test, holding the SQLite file
   */
  public static Handle open(StateStore.Kind kind, Path dir) {
    if (kind == StateStore.Kind.SQLITE) {
      return new Handle(StateStore.open(null, dir), null, "sqlite:///" + dir.toAbsolutePath().resolve("vigil.db"));
    }
    TestPostgres pg = TestPostgres.create("store");
    try {
      return new Handle(StateStore.open(pg.url(), dir), pg, pg.url());
    } catch (RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  /**
   * An open store, plus the URL that opens it again (to test what survives a restart).
   *
   * @param store the open store
   * @param postgres the scratch database, or {@code null} for SQLite
   * @param url a store URL that reopens the same store
   */
  public record Handle(StateStore store, TestPostgres postgres, String url) implements AutoCloseable {
    /** Closes the store and drops a scratch database. */
    @Override
    public void close() {
      store.close();
      if (postgres != null) {
        postgres.close();
      }
    }
  }
}
