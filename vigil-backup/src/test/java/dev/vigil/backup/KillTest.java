package dev.vigil.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.backup.internal.fs.AtomicFiles;
import dev.vigil.backup.manifest.BackupManifest;
import dev.vigil.backup.manifest.Manifests;
import dev.vigil.backup.store.BackupRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} at random points of a backup (dump, compression, manifest, rename, verification,
 * retention) and of a retention pass, 20 times each, in a child JVM: every time, the newest verified
 * backup survives and lists correctly, every listed backup matches its manifest's checksum, and the
 * next run sweeps the killed run's temp files and reports it as FAILED (interrupted).
 */
class KillTest {
  private static final int BACKUP_KILLS = 20;
  private static final int RETENTION_KILLS = 20;

  @TempDir
  Path tmp;
  private final Random random = new Random(6);

  @Test
  void killDuringBackups() throws Exception {
    TestDatabases.Db db = TestDatabases.sqlite(tmp);
    TestDatabases.fill(db, 2000, 3, 400_000);
    Path dir = tmp.resolve("backups");
    try (DatabaseBackup parent = DatabaseBackup.builder(db.url(), dir).maxBackups(3).build()) {
      BackupName newestVerified = BackupName.parse(parent.createBackup().filename());
      for (int i = 0; i < BACKUP_KILLS; i++) {
        killAfter(startChild("backup", db.url(), dir), random.nextInt(700));
        newestVerified = checkInvariants(parent, newestVerified);
      }
      parent.createBackup();
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString()).filter(AtomicFiles::isTemp)).isEmpty();
      }
      assertThat(parent.runs(500)).anySatisfy(r -> {
        assertThat(r.status()).isEqualTo(BackupRun.FAILED);
        assertThat(r.reason()).startsWith("interrupted");
      });
    }
  }

  @Test
  void killDuringRetention() throws Exception {
    TestDatabases.Db db = TestDatabases.sqlite(tmp);
    TestDatabases.fill(db, 50, 0, 0);
    Path dir = tmp.resolve("backups");
    try (DatabaseBackup parent = DatabaseBackup.builder(db.url(), dir).maxBackups(-1).build()) {
      BackupRecord anchor = parent.createBackup();
      assertThat(anchor.verified()).isTrue();
      BackupName anchorName = BackupName.parse(anchor.filename());
      int midway = 0;
      for (int i = 0; i < RETENTION_KILLS; i++) {
        topUp(dir, anchorName, 150);
        int before = parent.listBackups().size();
        killAfter(startChild("retention", db.url(), dir), 20 + random.nextInt(120));
        checkInvariants(parent, anchorName);
        int after = parent.listBackups().size();
        if (after < before && after > 2) {
          midway++;
        }
      }
      System.out.println("retention kills that landed mid-way: " + midway + " of " + RETENTION_KILLS);
      assertThat(parent.newestVerified().map(BackupRecord::filename)).contains(anchor.filename());
    }
  }

  /** Checks the directory after a kill; returns the newest verified backup now. */
  private static BackupName checkInvariants(DatabaseBackup parent, BackupName previousNewestVerified)
      throws IOException {
    List<BackupRecord> list = parent.listBackups();
    for (BackupRecord r : list) {
      assertThat(r.sha256()).as("manifest of " + r.filename()).isNotNull();
      assertThat(FaultInjectionTest.sha(parent.backupDir().resolve(r.filename()))).as(r.filename())
          .isEqualTo(r.sha256());
    }
    Optional<BackupRecord> verified = list.stream().filter(BackupRecord::verified).findFirst();
    assertThat(verified).as("a verified backup survives").isPresent();
    BackupName now = BackupName.parse(verified.get().filename());
    assertThat(now).as("newest verified never goes back").isGreaterThanOrEqualTo(previousNewestVerified);
    if (now.equals(previousNewestVerified)) {
      assertThat(list).extracting(BackupRecord::filename).contains(previousNewestVerified.filename());
    }
    return now;
  }

  /** Fills the directory up to {@code n} unverified copies of the anchor, older and newer than it. */
  private static void topUp(Path dir, BackupName anchor, int n) {
    BackupManifest m = Manifests.read(dir.resolve(anchor.manifestFilename()));
    for (int j = 1; j <= n; j++) {
      LocalDateTime t = anchor.timestamp().plusHours(j % 2 == 0 ? j : -j);
      BackupName copy = new BackupName("backup", t, 0, anchor.format(), anchor.compression());
      Path target = dir.resolve(copy.filename());
      if (Files.exists(target)) {
        continue;
      }
      try {
        Manifests.write(dir.resolve(copy.manifestFilename()), new BackupManifest(m.formatVersion(), copy.filename(),
            m.database(), m.databaseUrl(), m.engine(), m.format(), m.compression(), m.toolVersions(), m.sizeBytes(),
            m.sha256(), t, m.startedAt(), m.finishedAt(), m.durationMs(), m.tables(), null, null));
        Files.copy(dir.resolve(anchor.filename()), target);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static Process startChild(String mode, String url, Path dir) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
        KillTarget.class.getName(), mode, url, dir.toString()));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** Waits for the child's READY line (draining its output all along), then SIGKILLs it {@code millis} later. */
  private static void killAfter(Process child, int millis) throws Exception {
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    Thread drain = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        long readyAt = 0;
        while ((line = out.readLine()) != null) {
          if (line.equals("READY")) {
            readyAt = System.nanoTime();
            ready.complete(true);
          } else if (line.equals("DONE")) {
            System.out.println("child finished " + (System.nanoTime() - readyAt) / 1_000_000 + " ms after READY");
          }
        }
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
      ready.complete(false);
    }, "kill-test-drain");
    drain.setDaemon(true);
    drain.start();
    assertThat(ready.get(60, TimeUnit.SECONDS)).as("child printed READY").isTrue();
    // the random delay is the point of the test: it picks where in the run the SIGKILL lands
    Thread.sleep(millis);
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }
}
