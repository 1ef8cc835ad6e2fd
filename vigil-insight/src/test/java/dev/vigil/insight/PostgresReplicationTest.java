package dev.vigil.insight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.core.store.StateStore;
import dev.vigil.insight.testing.MutableClock;
import dev.vigil.insight.testing.PgInstance;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replication lag seen from a real primary and from its real streaming replica. */
class PostgresReplicationTest {
  @TempDir
  Path dir;

  @Test
  void primaryShowsItsReplicaAndTheReplicaShowsItsDelay() throws Exception {
    try (PgInstance primary = PgInstance.start(); StateStore store = StateStore.open(null, dir)) {
      primary.exec("postgres", "CREATE TABLE t (id int)");
      try (PgInstance replica = primary.replica()) {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        DatabaseInsight onPrimary = DatabaseInsight.open("primary",
            DatabaseUrl.parse(primary.url("postgres", "postgres")), store, InsightSettings.DEFAULTS, clock);
        DatabaseInsight onReplica = DatabaseInsight.open("replica",
            DatabaseUrl.parse(replica.url("postgres", "postgres")), store, InsightSettings.DEFAULTS, clock);
        primary.exec("postgres", "INSERT INTO t SELECT generate_series(1, 1000)");
        Activity a = Awaitility.await().atMost(30, TimeUnit.SECONDS).until(onPrimary::activity,
            x -> x.replicas().stream().anyMatch(r -> "streaming".equals(r.state())));
        assertThat(a.replicas()).singleElement().satisfies(r -> {
          assertThat(r.lagBytes()).isNotNegative();
          assertThat(r.name()).isNotBlank();
        });
        Activity standby = onReplica.activity();
        assertThat(standby.replicas()).singleElement().satisfies(r -> {
          assertThat(r.name()).isEqualTo("this server (standby)");
          assertThat(r.state()).isEqualTo("recovery");
        });
      }
    }
  }
}
