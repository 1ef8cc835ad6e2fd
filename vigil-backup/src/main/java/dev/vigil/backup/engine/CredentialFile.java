package dev.vigil.backup.engine;

import dev.vigil.backup.BackupException;
import dev.vigil.core.fs.FileModes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A file readable only by this user (0600, in a 0700 folder under Vigil's data directory) that hands a
 * password to a child process (a PostgreSQL passfile, a MariaDB {@code --defaults-extra-file}), so the
 * password never appears in the child's command line or environment. Deleted on close.
 *
 * <p>A file is named {@code <pid>-<name>-<random>}. {@link #sweep(Path)} deletes the files of processes
 * that no longer run and this process's files that are no longer in use, so a run killed with
 * {@code kill -9} leaves its file behind only until the next start or backup.
 */
public final class CredentialFile implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long SELF = ProcessHandle.current().pid();
  private static final Set<Path> IN_USE = ConcurrentHashMap.newKeySet();

  private final Path file;

  private CredentialFile(Path file) {
    this.file = file;
  }

  /**
   * Writes {@code content} to a new private file in {@code dir} (created 0700 if needed, tightened to
   * 0700 if it existed).
   *
   * @throws BackupException naming the folder when the file cannot be written
   */
  public static CredentialFile create(Path dir, String name, String content) {
    if (dir == null) {
      throw new BackupException("no credentials folder is set for this database; a password cannot be handed to "
          + "the " + name + " tool safely (set DatabaseBackup.Builder#credentialsDir)");
    }
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    Path file = dir.resolve(SELF + "-" + name + "-" + HexFormat.of().formatHex(random));
    try {
      FileModes.PRIVATE.directory(dir);
      Files.createFile(file, FileModes.PRIVATE.fileAttribute());
      IN_USE.add(file);
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return new CredentialFile(file);
    } catch (IOException | UncheckedIOException e) {
      IN_USE.remove(file);
      try {
        Files.deleteIfExists(file);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new BackupException("cannot create a private credentials file in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes the credential files in {@code dir} left by processes that no longer run (a kill -9 mid
   * backup) and by this process when no longer in use; files of live runs stay. The folder is made
   * 0700 if it was not.
   *
   * @return how many files were deleted
   * @throws BackupException naming the folder when it cannot be read
   */
  public static int sweep(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return 0;
    }
    try {
      FileModes.PRIVATE.directory(dir);
    } catch (UncheckedIOException e) {
      throw new BackupException("cannot make the credentials folder " + dir + " private (0700): " + e.getMessage(), e);
    }
    int deleted = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        if (!IN_USE.contains(f) && !ownedByAnotherLiveProcess(f.getFileName().toString())
            && Files.deleteIfExists(f)) {
          deleted++;
        }
      }
    } catch (IOException e) {
      throw new BackupException("cannot sweep old credential files in " + dir + ": " + e.getMessage(), e);
    }
    return deleted;
  }

  private static boolean ownedByAnotherLiveProcess(String filename) {
    int dash = filename.indexOf('-');
    long pid;
    try {
      pid = dash > 0 ? Long.parseLong(filename.substring(0, dash)) : -1;
    } catch (NumberFormatException e) {
      return false;
    }
    return pid != SELF && pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The file's path. */
  public Path path() {
    return file;
  }

  /** Deletes the file. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new BackupException("cannot delete credentials file " + file + ": " + e.getMessage(), e);
    } finally {
      IN_USE.remove(file);
    }
  }
}
