package dev.vigil.optimizer.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.backup.DatabaseBackup;
import dev.vigil.backup.compress.Compression;
import dev.vigil.core.testing.TestPostgres;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.Proposal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zstd level of real PostgreSQL backups follows the CPU headroom: idle → a stronger level and
 * smaller files (measured by the probe over the backups' sizes), busy → the fastest level, and undo
 * puts the previous level back.
 */
class CompressionTuningTest {
  @TempDir
  Path dir;

  @Test
  void levelFollowsCpuHeadroomShrinksBackupsWhenIdleAndUndoRestoresIt() throws Exception {
    try (TestPostgres db = TestPostgres.create("compress")) {
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE filler AS SELECT g AS id, 'customer ' || (g % 977) || ' ordered item ' || (g % 331)"
            + " || ' at ' || md5((g % 5000)::text) AS note FROM generate_series(1, 40000) g");
      }
      AtomicReference<Double> cpu = new AtomicReference<>(50.0);
      try (DatabaseBackup backup = DatabaseBackup.builder(db.url(), dir.resolve("b")).name("erp")
          .compression(Compression.ZSTD).build()) {
        CompressionTuning tuning = new CompressionTuning(List.of(backup), cpu::get, 70, 30);
        assertThat(tuning.propose()).isEmpty();
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
          backup.createBackup();
        }
        cpu.set(12.0);
        Proposal stronger = tuning.propose().get(0);
        assertThat(stronger.key()).isEqualTo("cpu:compression:erp:stronger");
        assertThat(stronger.level()).isEqualTo(Level.MEDIUM);
        assertThat(stronger.target()).contains("zstd level 3 → 9");
        assertThat(stronger.reason()).contains("12%");
        Instant applied = nextSecond();
        Map<String, String> undo = tuning.apply(stronger);
        assertThat(backup.jobSettings().compressionLevel(Compression.ZSTD)).isEqualTo(9);
        for (int i = 0; i < 3; i++) {
          backup.createBackup();
        }
        Probe size = tuning.probe(stronger);
        double[] before = size.samples(start, applied);
        double[] after = size.samples(applied, Instant.now().plusSeconds(1));
        assertThat(before).hasSize(3);
        assertThat(after).hasSize(3);
        assertThat(Arrays.stream(after).max().orElseThrow()).isLessThan(Arrays.stream(before).min().orElseThrow());

        cpu.set(92.0);
        Proposal faster = tuning.propose().get(0);
        assertThat(faster.key()).isEqualTo("cpu:compression:erp:faster");
        assertThat(faster.target()).contains("zstd level 9 → 1");
        assertThat(tuning.probe(faster).name()).contains("duration");

        tuning.undo(stronger, undo);
        assertThat(backup.jobSettings().compressionLevel(Compression.ZSTD)).isEqualTo(3);
      }
    }
  }

  /** The start of the next second, once it has come (backup names and timestamps have one-second precision). */
  private static Instant nextSecond() {
    Instant next = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(() -> !Instant.now()
        .isBefore(next));
    return next;
  }
}
