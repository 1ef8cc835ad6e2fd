package dev.vigil.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.fs.FileModes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups, manifests, checkpoints and the backup folder are readable by the owner only (0600 files in
 * 0700 folders), also when the folder already existed with wider permissions; with a group configured
 * they are 0640/0750.
 */
class FilePermissionsTest {
  @TempDir
  Path tmp;

  @Test
  void backupsAndManifestsAreOwnerOnlyInAnOwnerOnlyFolderThatAlreadyExisted() throws Exception {
    TestDatabases.Db db = TestDatabases.sqlite(tmp);
    TestDatabases.fill(db, 10, 0, 0);
    for (boolean compress : List.of(true, false)) {
      Path dir = tmp.resolve("backups-" + compress);
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      try (DatabaseBackup b = DatabaseBackup.builder(db.url(), dir).compress(compress).build()) {
        BackupRecord r = b.createBackup();
        b.setCheckpoint(r.filename(), "before-upgrade");
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve(r.filename()))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve(r.filename() + ".json"))).isEqualTo("rw-------");
        for (Path p : everything(dir)) {
          assertThat(mode(p)).as(p.toString()).isIn("rw-------", "rwx------");
        }
      }
    }
  }

  @Test
  void withAGroupFilesAre0640InA0750Folder() throws Exception {
    String group = Files.readAttributes(tmp, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
    TestDatabases.Db db = TestDatabases.sqlite(tmp);
    TestDatabases.fill(db, 10, 0, 0);
    Path dir = tmp.resolve("grouped");
    try (DatabaseBackup b = DatabaseBackup.builder(db.url(), dir).fileModes(FileModes.forGroup(group)).build()) {
      BackupRecord r = b.createBackup();
      assertThat(mode(dir)).isEqualTo("rwxr-x---");
      assertThat(mode(dir.resolve(r.filename()))).isEqualTo("rw-r-----");
      assertThat(mode(dir.resolve(r.filename() + ".json"))).isEqualTo("rw-r-----");
    }
  }

  private static List<Path> everything(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.getFileName().toString().endsWith(".lock")).toList();
    }
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
