package dev.vigil.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.testing.TestStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StateStoreTest {

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void migratesAndKeepsDataAcrossReopen(StateStore.Kind kind, @TempDir Path dir) {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      assertThat(h.store().kind()).isEqualTo(kind);
      h.store().jdbi().useHandle(x -> x.execute("INSERT INTO vigil_lock(name, owner, expires_at) VALUES ('a','b',1)"));
      try (StateStore again = StateStore.open(h.url(), dir)) {
        String owner = again.jdbi().withHandle(x -> x.createQuery("SELECT owner FROM vigil_lock WHERE name='a'")
            .mapTo(String.class).one());
        assertThat(owner).isEqualTo("b");
        again.migrate("core");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void fleetLockLetsOneOwnerRunUntilTheLeaseExpires(StateStore.Kind kind, @TempDir Path dir) {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
      Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
      };
      FleetLock a = new FleetLock(h.store(), clock, "a");
      FleetLock b = new FleetLock(h.store(), clock, "b");
      assertThat(a.tryAcquire("backup", Duration.ofMinutes(5))).isTrue();
      assertThat(b.tryAcquire("backup", Duration.ofMinutes(5))).isFalse();
      assertThat(b.runExclusive("backup", Duration.ofMinutes(1), () -> "ran")).isEmpty();
      now.set(now.get().plus(Duration.ofMinutes(6)));
      assertThat(b.tryAcquire("backup", Duration.ofMinutes(5))).isTrue();
      b.release("backup");
      assertThat(a.runExclusive("backup", Duration.ofMinutes(1), () -> "ran")).contains("ran");
      assertThat(b.tryAcquire("backup", Duration.ofMinutes(5))).isTrue();
    }
  }

  @Test
  void sqliteChangeStampMovesWithEveryCommitFromAnyConnectionAndPostgresHasNone(@TempDir Path dir) {
    try (StateStore store = StateStore.open(null, dir); StateStore other = StateStore.open(null, dir)) {
      long before = store.changeStamp().orElseThrow();
      assertThat(store.changeStamp()).hasValue(before);
      store.jdbi().useHandle(x -> x.createQuery("SELECT COUNT(*) FROM vigil_lock").mapTo(Integer.class).one());
      assertThat(store.changeStamp()).as("a read leaves the files alone").hasValue(before);
      for (int i = 0; i < 20; i++) {
        long seen = store.changeStamp().orElseThrow();
        String name = "n" + i;
        other.jdbi().useHandle(x -> x.execute("INSERT INTO vigil_lock(name, owner, expires_at) VALUES (?, 'b', 1)", name));
        assertThat(store.changeStamp().orElseThrow()).as("commit %d by another store", i).isNotEqualTo(seen);
      }
    }
    try (TestStores.Handle h = TestStores.open(StateStore.Kind.POSTGRESQL, dir.resolve("pg"))) {
      assertThat(h.store().changeStamp()).isEmpty();
    }
  }

  @Test
  void unreachablePostgresIsNamedWithoutItsPassword(@TempDir Path dir) {
    assertThatThrownBy(() -> StateStore.open("postgresql://app:topsecret@127.0.0.1:1/nothing", dir))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("127.0.0.1:1/nothing")
        .hasMessageNotContaining("topsecret");
  }

  @Test
  void storeUrlForms() {
    StoreUrl pg = StoreUrl.parse("postgres://u:p%40ss@db.local:6543/vigil?sslmode=require");
    assertThat(pg.kind()).isEqualTo(StateStore.Kind.POSTGRESQL);
    assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:6543/vigil?sslmode=require");
    assertThat(pg.password()).isEqualTo("p@ss");
    assertThat(pg.toString()).doesNotContain("p@ss");
    assertThat(StoreUrl.parse("sqlite:///var/lib/vigil.db").jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/vigil.db");
    assertThat(StoreUrl.parse("sqlite:data/v.db").jdbcUrl()).isEqualTo("jdbc:sqlite:data/v.db");
    assertThatThrownBy(() -> StoreUrl.parse("mysql://x/y")).hasMessageContaining("mysql");
  }

  @Test
  void storeUrlWithARawAtOrABadPortIsReadOrRefusedNotTakenForTheLocalServer() {
    assertThat(StoreUrl.parse("postgresql://u:a+b@db.local/vigil").password()).isEqualTo("a+b");
    StoreUrl rawAt = StoreUrl.parse("postgresql://u:p@ss@db.local/vigil");
    assertThat(rawAt.password()).isEqualTo("p@ss");
    assertThat(rawAt.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:5432/vigil");
    assertThatThrownBy(() -> StoreUrl.parse("postgresql://u:pw@db.local:http/vigil"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the port must be a number")
        .hasMessageNotContaining("pw@");
    assertThatThrownBy(() -> StoreUrl.parse("postgresql://db.local:70000/vigil"))
        .hasMessageContaining("the port must be a number from 1 to 65535");
  }
}
