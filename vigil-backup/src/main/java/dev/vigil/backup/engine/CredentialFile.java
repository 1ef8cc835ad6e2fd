package dev.vigil.backup.engine;

import dev.vigil.backup.BackupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file readable only by this user (0600, in a 0700 directory) that hands a password to a child
 * process (a PostgreSQL passfile, a MariaDB {@code --defaults-extra-file}), so the password never
 * appears in the child's command line or environment. Deleted on close.
 */
public final class CredentialFile implements AutoCloseable {
  private final Path dir;
  private final Path file;

  private CredentialFile(Path dir, Path file) {
    this.dir = dir;
    this.file = file;
  }

  /** Writes {@code content} to a new private file. */
  public static CredentialFile create(String name, String content) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("vigil-cred-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path file = Files.createFile(dir.resolve(name),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return new CredentialFile(dir, file);
    } catch (IOException e) {
      deleteQuietly(dir);
      throw new BackupException("cannot create a private credentials file in " + System.getProperty("java.io.tmpdir")
          + ": " + e.getMessage(), e);
    }
  }

  /** The file's path. */
  public Path path() {
    return file;
  }

  /** Deletes the file and its directory. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new BackupException("cannot delete credentials file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // the original failure is the one reported; a leftover empty 0700 directory holds no secret
      dir.toFile().deleteOnExit();
    }
  }
}
