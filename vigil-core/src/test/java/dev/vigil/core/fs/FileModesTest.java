package dev.vigil.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.config.ConfigLoader;
import dev.vigil.core.store.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileModesTest {
  @TempDir
  Path tmp;

  @Test
  void theDataDirAndVigilDbAreOwnerOnlyAlsoWhenTheFolderExistedWide() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (StateStore store = StateStore.open(null, data)) {
      store.jdbi().useHandle(h -> h.execute("CREATE TABLE IF NOT EXISTS t (x int)"));
      assertThat(mode(data)).isEqualTo("rwx------");
      assertThat(mode(data.resolve("vigil.db"))).isEqualTo("rw-------");
      if (Files.exists(data.resolve("vigil.db-wal"))) {
        assertThat(mode(data.resolve("vigil.db-wal"))).isEqualTo("rw-------");
      }
    }
  }

  @Test
  void aConfiguredGroupGets0640And0750() throws Exception {
    String group = Files.readAttributes(tmp, PosixFileAttributes.class).group().getName();
    FileModes modes = ConfigLoader.load(null, Map.of("VIGIL_FILES_GROUP", group)).fileModes();
    Path data = tmp.resolve("grouped");
    try (StateStore store = StateStore.open(null, data, modes)) {
      assertThat(mode(data)).isEqualTo("rwxr-x---");
      assertThat(mode(data.resolve("vigil.db"))).isEqualTo("rw-r-----");
    }
    assertThat(FileModes.ofFolder(data)).isEqualTo(modes);
    assertThatThrownBy(() -> FileModes.forGroup("bad group")).hasMessageContaining("group name");
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
