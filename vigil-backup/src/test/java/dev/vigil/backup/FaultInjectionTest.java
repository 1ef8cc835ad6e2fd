package dev.vigil.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.backup.engine.Tools;
import dev.vigil.backup.manifest.BackupManifest;
import dev.vigil.backup.manifest.Json;
import dev.vigil.backup.manifest.Manifests;
import dev.vigil.backup.store.BackupRun;
import dev.vigil.backup.verify.VerificationResult;
import dev.vigil.core.store.StateStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Injected faults, each of which must end FAILED (a run with the reason) or be rejected with a clear
 * message, leave no file under a final name and no temp file, and leave the older backups untouched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionTest {
  @TempDir
  static Path tmp;

  private TestDatabases.Db pg;
  private TestDatabases.Db maria;
  private TestDatabases.Db lite;
  private Path pgDir;
  private Path mariaDir;
  private Path liteDir;
  private StateStore sharedStore;

  @BeforeAll
  void goodBackupsFirst() throws Exception {
    pg = TestDatabases.postgres("fault");
    maria = TestDatabases.mariadb("fault");
    lite = TestDatabases.sqlite(tmp);
    pgDir = tmp.resolve("pg");
    mariaDir = tmp.resolve("maria");
    liteDir = tmp.resolve("lite");
    sharedStore = StateStore.open(null, tmp.resolve("store"));
    for (var e : Map.of(pg, pgDir, maria, mariaDir, lite, liteDir).entrySet()) {
      TestDatabases.fill(e.getKey(), 40, 1, 10_000);
      try (DatabaseBackup b = DatabaseBackup.builder(e.getKey().url(), e.getValue()).build()) {
        assertThat(b.createBackup().verified()).isTrue();
      }
    }
  }

  @AfterAll
  void drop() {
    for (AutoCloseable c : new AutoCloseable[] {sharedStore, pg, maria}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          throw new IllegalStateException("cleanup failed", e);
        }
      }
    }
  }

  // ---- the dump cannot start ----

  @Test
  void pgDumpMissing() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("no-tools"));
    try (DatabaseBackup b = DatabaseBackup.builder(pg.url(), pgDir).tools(Tools.in(empty)).build()) {
      assertFailsCleanly(b, b::createBackup, "pg_dump not found", "postgresql-client");
    }
  }

  @Test
  void mariadbDumpMissing() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("no-tools-2"));
    try (DatabaseBackup b = DatabaseBackup.builder(maria.url(), mariaDir).tools(Tools.in(empty)).build()) {
      assertFailsCleanly(b, b::createBackup, "mariadb-dump or mysqldump not found");
    }
  }

  @Test
  void pgDumpOlderThanServerIsRefusedBeforeStarting() throws Exception {
    Path bin = wrappers("old", Map.of("pg_dump", "if [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 12.3'; "
        + "exit 0; fi\necho 'must not run' >&2\nexit 1\n"));
    try (DatabaseBackup b = DatabaseBackup.builder(pg.url(), pgDir).tools(Tools.in(bin)).build()) {
      assertFailsCleanly(b, b::createBackup, "pg_dump 12.3", "is older than the PostgreSQL 15");
    }
  }

  @Test
  void wrongMariaDbPassword() throws Exception {
    String user = "vigil_fault_" + UUID.randomUUID().toString().substring(0, 6);
    TestDatabases.mariaAdmin("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'right-pass-1'");
    try {
      String url = "mysql://" + user + ":wrong-pass-XYZ@127.0.0.1:3306/" + maria;
      try (DatabaseBackup b = DatabaseBackup.builder(url, mariaDir).build()) {
        String msg = assertFailsCleanly(b, b::createBackup, "Access denied");
        assertThat(msg).doesNotContain("wrong-pass-XYZ");
        assertThat(b.runs(1).get(0).reason()).doesNotContain("wrong-pass-XYZ");
      }
    } finally {
      TestDatabases.mariaAdmin("DROP USER '" + user + "'@'%'");
    }
  }

  @Test
  void unknownPostgresRole() throws Exception {
    String url = pg.url().replace("postgres@", "nobody_vigil:secret-pw-77@");
    try (DatabaseBackup b = DatabaseBackup.builder(url, pgDir).build()) {
      String msg = assertFailsCleanly(b, b::createBackup, "role \"nobody_vigil\" does not exist");
      assertThat(msg).doesNotContain("secret-pw-77");
    }
  }

  @Test
  void noSuchPostgresDatabase() throws Exception {
    try (DatabaseBackup b = DatabaseBackup.builder(pg.url() + "_nope", pgDir).build()) {
      assertFailsCleanly(b, b::createBackup, "does not exist");
    }
  }

  @Test
  void noSuchMariaDbDatabase() throws Exception {
    try (DatabaseBackup b = DatabaseBackup.builder(maria.url() + "_nope", mariaDir).build()) {
      assertFailsCleanly(b, b::createBackup, "Unknown database");
    }
  }

  @Test
  void sqliteFileMissing() throws Exception {
    try (DatabaseBackup b = DatabaseBackup.builder("sqlite:///" + tmp.resolve("nope.db").toString().substring(1),
        liteDir).build()) {
      assertFailsCleanly(b, b::createBackup, "nope.db does not exist");
    }
    assertThat(tmp.resolve("nope.db")).doesNotExist();
  }

  @Test
  void postgresServerUnreachable() throws Exception {
    String url = pg.url().replace(":5432/", ":1/");
    try (DatabaseBackup b = DatabaseBackup.builder(url, pgDir).build()) {
      assertFailsCleanly(b, b::createBackup, "127.0.0.1:1", "refused");
    }
  }

  // ---- the dump breaks while running ----

  @Test
  void pgDumpKilledMidStream() throws Exception {
    Path bin = wrappers("killpg", Map.of("pg_dump", passVersion("pg_dump")
        + "/usr/bin/pg_dump \"$@\" | head -c 3000\nkill -9 $$\n"));
    try (DatabaseBackup b = DatabaseBackup.builder(pg.url(), pgDir).tools(Tools.in(bin)).build()) {
      assertFailsCleanly(b, b::createBackup, "pg_dump was killed by signal 9");
    }
  }

  @Test
  void mariadbDumpKilledMidStream() throws Exception {
    Path bin = wrappers("killmaria", Map.of("mariadb-dump", passVersion("mariadb-dump")
        + "/usr/bin/mariadb-dump \"$@\" | head -c 3000\nkill -9 $$\n"));
    try (DatabaseBackup b = DatabaseBackup.builder(maria.url(), mariaDir).tools(Tools.in(bin)).build()) {
      assertFailsCleanly(b, b::createBackup, "mariadb-dump was killed by signal 9");
    }
  }

  @Test
  void pgDumpFailingAfterACompleteOutputIsStillAFailure() throws Exception {
    Path bin = wrappers("exit3", Map.of("pg_dump", passVersion("pg_dump")
        + "/usr/bin/pg_dump \"$@\"\necho 'pg_dump: error: simulated late failure' >&2\nexit 3\n"));
    try (DatabaseBackup b = DatabaseBackup.builder(pg.url(), pgDir).tools(Tools.in(bin)).build()) {
      assertFailsCleanly(b, b::createBackup, "exited with code 3", "simulated late failure");
    }
  }

  @Test
  void diskFullIsFoundBeforeStartingAndWhileWriting() throws Exception {
    try (TmpfsMount small = TmpfsMount.mount(tmp.resolve("tiny"), "1m");
        TmpfsMount medium = TmpfsMount.mount(tmp.resolve("medium"), "4m");
        TestDatabases.Db big = TestDatabases.postgres("full")) {
      try (Connection c = big.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE blobs (id int primary key, b bytea)");
      }
      try (DatabaseBackup tiny = DatabaseBackup.builder(big.url(), small.dir()).stateStore(sharedStore).name("full1")
          .build();
          DatabaseBackup mid = DatabaseBackup.builder(big.url(), medium.dir()).stateStore(sharedStore).name("full2")
              .build()) {
        assertThat(tiny.createBackup().verified()).isTrue();
        assertThat(mid.createBackup().verified()).isTrue();
        try (Connection c = big.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO blobs VALUES (?, ?)")) {
          Random r = new Random(1);
          for (int i = 0; i < 6; i++) {
            byte[] b = new byte[1 << 20];
            r.nextBytes(b);
            ps.setInt(1, i);
            ps.setBytes(2, b);
            ps.executeUpdate();
          }
        }
        assertFailsCleanly(tiny, tiny::createBackup, "not enough free space", "MB needed");
        assertFailsCleanly(mid, mid::createBackup, "No space left on device");
      }
    }
  }

  @Test
  void unwritableBackupDirectory() throws Exception {
    Path ro = tmp.resolve("readonly");
    try (TmpfsMount m = TmpfsMount.mount(ro, "1m")) {
      m.remountReadOnly();
      try (DatabaseBackup b = DatabaseBackup.builder(lite.url(), ro).stateStore(sharedStore).name("ro").build()) {
        assertThatThrownBy(b::createBackup).isInstanceOf(BackupException.class)
            .hasMessageContaining("cannot lock backup directory " + ro).hasMessageContaining("Read-only file system");
        assertThat(b.listBackups()).isEmpty();
      }
    }
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    assertThatThrownBy(() -> DatabaseBackup.builder(lite.url(), file.resolve("backups")).build())
        .isInstanceOf(BackupException.class).hasMessageContaining("cannot create backup directory");
  }

  // ---- damaged backups ----

  @Test
  void corruptFileFailsVerification() throws Exception {
    try (DatabaseBackup b = DatabaseBackup.builder(pg.url(), pgDir).verifyAfterBackup(false).build()) {
      String victim = b.createBackup("victim").filename();
      flipByte(pgDir.resolve(victim));
      Map<String, String> before = snapshot(pgDir, victim);

      VerificationResult v = b.verifyBackup(victim);

      assertThat(v.ok()).isFalse();
      assertThat(v.checksumOk()).isFalse();
      assertThat(v.message()).contains("checksum mismatch");
      assertThat(b.manifest(victim).verification().ok()).isFalse();
      assertThat(b.runs(1).get(0)).extracting(BackupRun::operation, BackupRun::status)
          .containsExactly("VERIFY", BackupRun.FAILED);
      assertThat(snapshot(pgDir, victim)).isEqualTo(before);
      b.deleteBackup(victim);
    }
  }

  @Test
  void truncatedFileFailsVerificationWithTheRestoreError() throws Exception {
    try (DatabaseBackup b = DatabaseBackup.builder(maria.url(), mariaDir).verifyAfterBackup(false).build()) {
      String victim = b.createBackup("victim").filename();
      Path f = mariaDir.resolve(victim);
      try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
        raf.setLength(raf.length() / 2);
      }
      VerificationResult v = b.verifyBackup(victim);
      assertThat(v.ok()).isFalse();
      assertThat(v.restoreOk()).isFalse();
      assertThat(v.message()).contains("checksum mismatch").contains("test restore failed");
      assertNoScratchDatabasesLeft();
      b.deleteBackup(victim);
    }
  }

  @Test
  void tamperedRowCountsFailVerification() throws Exception {
    try (DatabaseBackup b = DatabaseBackup.builder(lite.url(), liteDir).verifyAfterBackup(false).build()) {
      String victim = b.createBackup("victim").filename();
      Path mf = liteDir.resolve(victim + ".json");
      BackupManifest m = Manifests.read(mf);
      SortedMap<String, Long> tables = new TreeMap<>(m.tables());
      tables.put("items", 41L);
      Files.write(mf, Json.MAPPER.writeValueAsBytes(new BackupManifest(m.formatVersion(), m.filename(), m.database(),
          m.databaseUrl(), m.engine(), m.format(), m.compression(), m.toolVersions(), m.sizeBytes(), m.sha256(),
          m.timestamp(), m.startedAt(), m.finishedAt(), m.durationMs(), tables, null, null)));
      VerificationResult v = b.verifyBackup(victim);
      assertThat(v.ok()).isFalse();
      assertThat(v.checksumOk()).isTrue();
      assertThat(v.mismatches()).containsExactly("items: expected 41 rows, got 40 rows");
      b.deleteBackup(victim);
    }
  }

  @Test
  void corruptFileIsRejectedByRestoreAndChangesNothing() throws Exception {
    try (DatabaseBackup b = DatabaseBackup.builder(pg.url(), pgDir).verifyAfterBackup(false).build()) {
      String victim = b.createBackup("victim").filename();
      flipByte(pgDir.resolve(victim));
      SortedMap<String, String> content = TestDatabases.contentHashes(pg);
      Map<String, String> files = snapshot(pgDir);

      assertFailsWith(b, () -> b.restoreBackup(victim), "is damaged", "nothing was changed");

      assertThat(TestDatabases.contentHashes(pg)).isEqualTo(content);
      assertThat(snapshot(pgDir)).isEqualTo(files);
      b.deleteBackup(victim);
    }
  }

  @Test
  void restoreWithoutManifestIsRejected() throws Exception {
    try (DatabaseBackup b = DatabaseBackup.builder(lite.url(), liteDir).verifyAfterBackup(false).build()) {
      String victim = b.createBackup("victim").filename();
      Files.delete(liteDir.resolve(victim + ".json"));
      Map<String, String> files = snapshot(liteDir);
      assertFailsWith(b, () -> b.restoreBackup(victim), "manifest", "is missing");
      assertThat(snapshot(liteDir)).isEqualTo(files);
      Files.delete(liteDir.resolve(victim));
    }
  }

  @Test
  void backupOfAnotherEngineIsRejected() throws Exception {
    try (DatabaseBackup l = DatabaseBackup.builder(lite.url(), liteDir).build();
        DatabaseBackup p = DatabaseBackup.builder(pg.url(), pgDir).build()) {
      String sqliteBackup = l.listBackups().get(0).filename();
      Files.copy(liteDir.resolve(sqliteBackup), pgDir.resolve(sqliteBackup));
      Files.copy(liteDir.resolve(sqliteBackup + ".json"), pgDir.resolve(sqliteBackup + ".json"));
      SortedMap<String, String> content = TestDatabases.contentHashes(pg);
      assertFailsWith(p, () -> p.restoreBackup(sqliteBackup), "holds a sqlite database", "nothing was changed");
      assertThat(TestDatabases.contentHashes(pg)).isEqualTo(content);
      p.deleteBackup(sqliteBackup);
    }
  }

  @Test
  void failingRestoreToolLeavesPostgresUnchanged() throws Exception {
    Path bin = wrappers("badrestore", Map.of("pg_restore",
        "cat > /dev/null\necho 'pg_restore: error: simulated failure' >&2\nexit 1\n"));
    try (DatabaseBackup b = DatabaseBackup.builder(pg.url(), pgDir).tools(Tools.in(bin)).build()) {
      String good = b.listBackups().stream().filter(r -> r.filename().startsWith("backup_")).findFirst().orElseThrow()
          .filename();
      SortedMap<String, String> content = TestDatabases.contentHashes(pg);
      String msg = catchMessage(() -> b.restoreBackup(good));
      assertThat(msg).contains("pg_restore exited with code 1", "simulated failure", "not changed");
      assertThat(TestDatabases.contentHashes(pg)).isEqualTo(content);
      assertThat(b.runs(5).stream().filter(r -> r.operation().equals("RESTORE")).findFirst().orElseThrow())
          .extracting(BackupRun::status, BackupRun::reason).satisfies(l -> {
            assertThat(l.get(0)).isEqualTo(BackupRun.FAILED);
            assertThat((String) l.get(1)).contains("simulated failure");
          });
      for (BackupRecord r : b.listBackups()) {
        if (r.filename().startsWith("safety_")) {
          b.deleteBackup(r.filename());
        }
      }
    }
  }

  @Test
  void failedMariaDbLoadPutsTheSafetyBackupBack() throws Exception {
    Path marker = tmp.resolve("first-load-done");
    Path bin = wrappers("badload", Map.of("mariadb", "if [ ! -f '" + marker + "' ]; then touch '" + marker + "'\n"
        + "  head -c 2500 | /usr/bin/mariadb \"$@\"\n  echo 'simulated client crash' >&2\n  exit 1\nfi\n"
        + "exec /usr/bin/mariadb \"$@\"\n"));
    try (DatabaseBackup b = DatabaseBackup.builder(maria.url(), mariaDir).tools(Tools.in(bin)).build()) {
      String good = b.listBackups().stream().filter(r -> r.filename().startsWith("backup_")).findFirst().orElseThrow()
          .filename();
      try (Connection c = maria.connect(); Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM items WHERE id = 1");
      }
      SortedMap<String, String> content = TestDatabases.contentHashes(maria);

      String msg = catchMessage(() -> b.restoreBackup(good));

      assertThat(msg).contains("simulated client crash", "the previous state was put back from safety backup safety_");
      assertThat(TestDatabases.contentHashes(maria)).isEqualTo(content);
      for (BackupRecord r : b.listBackups()) {
        if (r.filename().startsWith("safety_")) {
          b.deleteBackup(r.filename());
        }
      }
    }
  }

  // ---- hostile names ----

  @ParameterizedTest
  @ValueSource(strings = {"../pg/backup_20251106_020000.dump.gz", "/etc/passwd", "%2e%2e%2fetc%2fpasswd",
      "..%2F..%2Fetc%2Fpasswd", "backup_20251106_020000.dump.gz/..", "....//....//etc", "backup.sql.gz",
      "backup_20251106_020000.dump.gz.json", ".vigil-backup.lock", ".vigil"})
  void hostileNamesAreRejectedEverywhere(String name) throws Exception {
    try (DatabaseBackup b = DatabaseBackup.builder(pg.url(), pgDir).build()) {
      Map<String, String> files = snapshot(pgDir);
      List<ThrowingCallable> calls = List.of(() -> b.verifyBackup(name), () -> b.restoreBackup(name),
          () -> b.deleteBackup(name), () -> b.manifest(name), () -> b.setCheckpoint(name, "x"));
      for (ThrowingCallable call : calls) {
        assertThatThrownBy(call).isInstanceOf(InvalidBackupNameException.class).hasMessageContaining("backup file name");
      }
      assertThatThrownBy(() -> b.createBackup(name)).isInstanceOf(InvalidBackupNameException.class)
          .hasMessageContaining("prefix");
      assertThat(snapshot(pgDir)).isEqualTo(files);
    }
  }

  @Test
  void unknownBackupIsNotFound() throws Exception {
    try (DatabaseBackup b = DatabaseBackup.builder(pg.url(), pgDir).build()) {
      assertThatThrownBy(() -> b.verifyBackup("backup_19990101_000000.dump.gz"))
          .isInstanceOf(BackupNotFoundException.class).hasMessageContaining("does not exist in " + pgDir);
      assertThatThrownBy(() -> b.restoreBackup("backup_19990101_000000.dump.gz"))
          .isInstanceOf(BackupNotFoundException.class);
      assertThat(b.deleteBackup("backup_19990101_000000.dump.gz")).isFalse();
    }
  }

  // ---- helpers ----

  /** Runs a failing backup and checks: clear message, FAILED run with the reason, directory unchanged. */
  private String assertFailsCleanly(DatabaseBackup b, ThrowingCallable call, String... expected) throws Exception {
    Map<String, String> before = snapshot(b.backupDir());
    String msg = assertFailsWith(b, call, expected);
    BackupRun last = b.runs(1).get(0);
    assertThat(last.status()).isEqualTo(BackupRun.FAILED);
    assertThat(last.operation()).isEqualTo("BACKUP");
    assertThat(last.reason()).contains(expected[0]);
    assertThat(snapshot(b.backupDir())).as("no new or changed file, no temp file").isEqualTo(before);
    return msg;
  }

  private static String assertFailsWith(DatabaseBackup b, ThrowingCallable call, String... expected) {
    String msg = catchMessage(call);
    assertThat(msg).contains(expected);
    return msg;
  }

  private static String catchMessage(ThrowingCallable call) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(t).isInstanceOf(BackupException.class);
    return t.getMessage();
  }

  /** File name → SHA-256 of everything in a backup directory except the run history and the lock file. */
  static Map<String, String> snapshot(Path dir, String... except) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.equals(".vigil") || n.equals(".vigil-backup.lock") || List.of(except).contains(n)
            || List.of(except).contains(n.replace(".json", "")) || Files.isDirectory(p)) {
          continue;
        }
        out.put(n, sha(p));
      }
    }
    return out;
  }

  static String sha(Path p) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void flipByte(Path f) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      long pos = raf.length() / 2;
      raf.seek(pos);
      int b = raf.read();
      raf.seek(pos);
      raf.write(b ^ 0x5A);
    }
  }

  private void assertNoScratchDatabasesLeft() throws Exception {
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'vigil\\_verify\\_%'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  private static String passVersion(String tool) {
    return "if [ \"$1\" = --version ]; then exec /usr/bin/" + tool + " --version; fi\n";
  }

  /** A bin dir with the real tools linked in and {@code scripts} (name → sh body) in their place. */
  private Path wrappers(String name, Map<String, String> scripts) throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin-" + name));
    for (String tool : List.of("pg_dump", "pg_restore", "psql", "mariadb-dump", "mariadb")) {
      Path p = bin.resolve(tool);
      if (scripts.containsKey(tool)) {
        Files.writeString(p, "#!/bin/sh\n" + scripts.get(tool));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      } else {
        Files.createSymbolicLink(p, Path.of("/usr/bin", tool));
      }
    }
    return bin;
  }
}
