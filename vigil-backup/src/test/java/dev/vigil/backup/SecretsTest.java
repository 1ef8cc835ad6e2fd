package dev.vigil.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.backup.store.BackupRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * While a dump runs, the password is in neither its command line nor its environment
 * ({@code /proc/<pid>/cmdline}, {@code /proc/<pid>/environ}); it reaches the tool only through a 0600
 * file that is gone afterwards, and it is in no log line or run record.
 */
class SecretsTest {
  @TempDir
  Path tmp;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void captureLogs() {
    logs.start();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
  }

  @AfterEach
  void stopCapturing() {
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
  }

  @Test
  void pgDumpNeverSeesThePasswordOnItsCommandLine() throws Exception {
    String password = "Pg-S3cret:" + UUID.randomUUID().toString().substring(0, 8);
    try (TestDatabases.Db db = TestDatabases.postgres("secret")) {
      TestDatabases.fill(db, 20, 0, 0);
      String url = db.url().replace("postgres@", "postgres:" + password.replace(":", "%3A") + "@");
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE parted (id int) PARTITION BY RANGE (id)");
      }
      // pg_dump locks every table it dumps, the partitioned parent included; Vigil's own queries
      // (size estimate, row counts) do not touch a partitioned parent, so only pg_dump waits here.
      try (Connection blocker = db.connect(); Statement s = blocker.createStatement()) {
        blocker.setAutoCommit(false);
        s.execute("LOCK TABLE parted IN ACCESS EXCLUSIVE MODE");
        checkRunningDump(url, "pg_dump", password, blocker::rollback);
      }
    }
  }

  @Test
  void mariadbDumpNeverSeesThePasswordOnItsCommandLine() throws Exception {
    String password = "Ma'ria\"S3cret\\" + UUID.randomUUID().toString().substring(0, 8);
    String user = "vigil_secret_" + UUID.randomUUID().toString().substring(0, 6);
    try (TestDatabases.Db db = TestDatabases.mariadb("secret")) {
      TestDatabases.fill(db, 20, 0, 0);
      TestDatabases.mariaAdmin("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password.replace("\\", "\\\\")
          .replace("'", "\\'") + "'");
      TestDatabases.mariaAdmin("GRANT ALL ON *.* TO '" + user + "'@'%'");
      try {
        String url = "mysql://" + user + ":" + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8)
            + "@127.0.0.1:3306/" + db;
        try (Connection blocker = db.connect(); Statement s = blocker.createStatement()) {
          s.execute("LOCK TABLES items WRITE");
          checkRunningDump(url, "mariadb-dump", password, () -> s.execute("UNLOCK TABLES"));
        }
      } finally {
        TestDatabases.mariaAdmin("DROP USER '" + user + "'@'%'");
      }
    }
  }

  private void checkRunningDump(String url, String tool, String password, Release release) throws Exception {
    try (DatabaseBackup b = DatabaseBackup.builder(url, tmp.resolve(tool)).build()) {
      CompletableFuture<BackupRecord> running = CompletableFuture.supplyAsync(b::createBackup);
      // the version probe ({@code --version}) runs first and briefly; wait for the dump itself
      ProcessHandle dump = await().atMost(Duration.ofSeconds(20)).until(() -> dumpOf(tool), Optional::isPresent)
          .orElseThrow();
      String cmdline = Files.readString(Path.of("/proc/" + dump.pid() + "/cmdline"), StandardCharsets.ISO_8859_1);
      String environ = Files.readString(Path.of("/proc/" + dump.pid() + "/environ"), StandardCharsets.ISO_8859_1);
      assertThat(cmdline).contains(tool).doesNotContain(password);
      assertThat(environ).doesNotContain(password);
      assertThat(cmdline).satisfiesAnyOf(c -> assertThat(c).contains("--defaults-extra-file="),
          c -> assertThat(environ).contains("PGPASSFILE="));
      Path credentials = credentialFile(cmdline, environ);
      assertThat(Files.getPosixFilePermissions(credentials)).extracting(Object::toString)
          .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
      assertThat(credentials.getParent()).isEqualTo(b.backupDir().resolve(".vigil").resolve("credentials"));
      assertThat(credentials.toString()).doesNotStartWith(System.getProperty("java.io.tmpdir") + "/vigil-cred-");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials.getParent())))
          .isEqualTo("rwx------");
      release.run();
      BackupRecord rec = running.get();
      assertThat(rec.verified()).isTrue();
      assertThat(credentials).doesNotExist();
      for (ILoggingEvent e : logs.list) {
        assertThat(e.getFormattedMessage()).doesNotContain(password);
      }
      for (BackupRun r : b.runs(20)) {
        assertThat(String.valueOf(r.reason())).doesNotContain(password);
      }
      assertThat(Files.readString(b.backupDir().resolve(rec.filename() + ".json"))).doesNotContain(password);
    }
  }

  /** The running dump: the tool, with arguments, and not its {@code --version} probe. */
  private static Optional<ProcessHandle> dumpOf(String tool) {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("/" + tool)).orElse(false))
        .filter(p -> p.info().arguments().map(a -> a.length > 1 && !List.of(a).contains("--version")).orElse(false))
        .findFirst();
  }

  @Test
  void aCredentialsFileLeftByAKilledRunIsSweptOnStartAndBeforeEachBackup() throws Exception {
    TestDatabases.Db db = TestDatabases.sqlite(tmp);
    TestDatabases.fill(db, 5, 0, 0);
    Path credentials = tmp.resolve("data").resolve("credentials");
    Files.createDirectories(credentials);
    Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rwxr-xr-x"));
    Process killedAtStart = new ProcessBuilder("sleep", "600").start();
    Process killedLater = new ProcessBuilder("sleep", "600").start();
    try {
      Path leftAtStart = Files.writeString(credentials.resolve(killedAtStart.pid() + "-pgpass-0a0b"), "*:*:*:*:pw\n");
      Path inUse = Files.writeString(credentials.resolve(killedLater.pid() + "-pgpass-0c0d"), "*:*:*:*:pw\n");
      killedAtStart.destroyForcibly().waitFor();
      try (DatabaseBackup b = DatabaseBackup.builder(db.url(), tmp.resolve("backups")).credentialsDir(credentials)
          .build()) {
        assertThat(leftAtStart).doesNotExist();
        assertThat(inUse).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rwx------");
        killedLater.destroyForcibly().waitFor();
        b.createBackup();
        assertThat(inUse).doesNotExist();
      }
    } finally {
      killedAtStart.destroyForcibly();
      killedLater.destroyForcibly();
    }
  }

  private static Path credentialFile(String cmdline, String environ) {
    for (String part : (cmdline + "\0" + environ).split("\0")) {
      if (part.startsWith("--defaults-extra-file=")) {
        return Path.of(part.substring("--defaults-extra-file=".length()));
      }
      if (part.startsWith("PGPASSFILE=")) {
        return Path.of(part.substring("PGPASSFILE=".length()));
      }
    }
    throw new AssertionError("no credentials file handed to the tool");
  }

  @FunctionalInterface
  private interface Release {
    void run() throws Exception;
  }
}
