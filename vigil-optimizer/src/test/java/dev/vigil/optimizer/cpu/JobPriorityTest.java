package dev.vigil.optimizer.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.backup.DatabaseBackup;
import dev.vigil.backup.compress.Compression;
import dev.vigil.backup.jobs.JobPriority;
import dev.vigil.core.testing.TestPostgres;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Proposal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real pg_dump started after apply runs at niceness 10, and after undo at the normal 0: read from
 * /proc while the dump is running (the backup's progress callback runs while the tool writes).
 */
class JobPriorityTest {
  @TempDir
  Path dir;

  @Test
  void dumpsRunNicedAfterApplyAndAtNormalPriorityAfterUndo() throws Exception {
    try (TestPostgres db = TestPostgres.create("jobprio")) {
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE filler AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) AS a"
            + " FROM generate_series(1, 400000) g");
      }
      Set<Integer> niceness = ConcurrentHashMap.newKeySet();
      try (DatabaseBackup backup = DatabaseBackup.builder(db.url(), dir.resolve("b")).name("erp")
          .compression(Compression.NONE).progress((op, file, done, total) -> niceness.addAll(childNiceness()))
          .build()) {
        SchedulerWait wait = new SchedulerWait(ProcessHandle.current().pid(), Clock.systemUTC(),
            Duration.ofHours(1));
        JobPriorityTuning tuning = new JobPriorityTuning(List.of(backup), wait);
        backup.createBackup();
        assertThat(niceness).containsExactly(0);

        Proposal p = tuning.propose().get(0);
        assertThat(p.key()).isEqualTo("cpu:jobs:priority");
        assertThat(p.level()).isEqualTo(Level.MEDIUM);
        assertThat(p.target()).contains("erp").contains("nice 10");
        Map<String, String> undo = tuning.apply(p);
        assertThat(backup.jobSettings().priority()).isEqualTo(JobPriority.LOW);
        assertThat(tuning.propose()).isEmpty();
        niceness.clear();
        backup.createBackup();
        assertThat(niceness).containsExactly(10);

        tuning.undo(p, undo);
        assertThat(backup.jobSettings().priority()).isEqualTo(JobPriority.NORMAL);
        niceness.clear();
        backup.createBackup();
        assertThat(niceness).containsExactly(0);

        wait.sample();
        wait.sample();
        assertThat(wait.available()).isTrue();
        assertThat(wait.samples(Instant.EPOCH, Instant.now().plusSeconds(1))).isNotEmpty();
      }
    }
  }

  /**
   * The niceness of this JVM's pg_dump children, from field 19 of /proc/pid/stat; a child that exits
   * between being listed and being read is skipped.
   */
  private static List<Integer> childNiceness() {
    return ProcessHandle.current().children().filter(h -> h.info().command().map(cmd -> cmd.endsWith("pg_dump"))
        .orElse(false)).flatMap(h -> {
          try {
            String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Stream.of(Integer.parseInt(f[16]));
          } catch (IOException | RuntimeException e) {
            if (!h.isAlive()) {
              return Stream.empty();
            }
            throw new IllegalStateException("cannot read the niceness of pid " + h.pid(), e);
          }
        }).toList();
  }
}
