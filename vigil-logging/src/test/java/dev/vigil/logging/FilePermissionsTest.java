package dev.vigil.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.fs.FileModes;
import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.TestStores;
import dev.vigil.logging.audit.AuditLog;
import dev.vigil.logging.audit.AuditOptions;
import dev.vigil.logging.setup.ConfiguredLogging;
import dev.vigil.logging.setup.LoggingOptions;
import dev.vigil.logging.setup.LoggingSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Log files, audit files, the audit checkpoint file and the log folder are readable by the owner only,
 * also when the folder already existed world-readable.
 */
class FilePermissionsTest {
  @TempDir
  Path dir;

  @Test
  void logsAndAuditFilesAreOwnerOnlyInAnOwnerOnlyFolder() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxrwxr-x"));
    Files.writeString(logs.resolve("shop.log"), "{}\n");
    Files.setPosixFilePermissions(logs.resolve("shop.log"), PosixFilePermissions.fromString("rw-r--r--"));
    try (ConfiguredLogging logging = LoggingSetup.configure(LoggingOptions.defaults("shop").withLogDir(logs)
        .withConsole(false), false)) {
      LoggerFactory.getLogger(FilePermissionsTest.class).error("payment failed");
    }
    try (TestStores.Handle h = TestStores.open(StateStore.Kind.SQLITE, dir);
        AuditLog audit = AuditLog.open(AuditOptions.defaults("shop", logs, dir.resolve("data")), h.store())) {
      audit.log("TEST", "u", "thing.create", "thing:1", Map.of(), "127.0.0.1");
    }
    assertThat(mode(logs)).isEqualTo("rwx------");
    List<Path> files = list(logs);
    assertThat(files).extracting(p -> p.getFileName().toString())
        .contains("shop.log", "shop_errors.log", "shop_audit.log", "shop_audit.checkpoints");
    for (Path f : files) {
      assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
    }
  }

  @Test
  void withAGroupTheyAre0640In0750() throws Exception {
    String group = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
    Path logs = dir.resolve("grouped");
    try (ConfiguredLogging logging = LoggingSetup.configure(LoggingOptions.defaults("shop").withLogDir(logs)
        .withConsole(false).withFileModes(FileModes.forGroup(group)), false)) {
      LoggerFactory.getLogger(FilePermissionsTest.class).warn("stock low");
    }
    assertThat(mode(logs)).isEqualTo("rwxr-x---");
    assertThat(mode(logs.resolve("shop.log"))).isEqualTo("rw-r-----");
  }

  @Test
  void aNewLogFolderIsOwnerOnly() throws Exception {
    Path logs = dir.resolve("fresh-logs");
    try (ConfiguredLogging logging = LoggingSetup.configure(LoggingOptions.defaults("shop").withLogDir(logs)
        .withConsole(false), false)) {
      LoggerFactory.getLogger(FilePermissionsTest.class).warn("stock low");
    }
    assertThat(mode(logs)).isEqualTo("rwx------");
    for (Path f : list(logs)) {
      assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
    }
  }

  private static List<Path> list(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
