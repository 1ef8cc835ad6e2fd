package dev.vigil.core.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The permissions of everything Vigil writes (data dir, state store, backups, manifests, logs, audit
 * files): files {@code 0600} and folders {@code 0700}, or {@code 0640}/{@code 0750} owned by a group
 * when one is configured, so operators in that group can read them and nobody else can. Folders that
 * already exist are tightened too. On a file system without POSIX permissions nothing is changed.
 *
 * @param group the group that may read, or {@code null} for the owner only
 */
public record FileModes(String group) {
  /** Owner only: files 0600, folders 0700. */
  public static final FileModes PRIVATE = new FileModes(null);

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  /** Validates the group name. */
  public FileModes {
    if (group != null && (group.isBlank() || !group.matches("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,31}"))) {
      throw new IllegalArgumentException("file group must be a group name of 1-32 letters, digits, '_', '.' or '-': '"
          + group + "'");
    }
  }

  /** Owner only, or readable by {@code group} when it is not null or blank. */
  public static FileModes forGroup(String group) {
    return group == null || group.isBlank() ? PRIVATE : new FileModes(group.strip());
  }

  /**
   * The modes of files inside {@code dir}: readable by the folder's group when the folder is (0750),
   * else owner only. Lets a library give its files the modes its configured folder already has.
   */
  public static FileModes ofFolder(Path dir) {
    if (!POSIX || dir == null) {
      return PRIVATE;
    }
    try {
      PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
      var attrs = view.readAttributes();
      return attrs.permissions().contains(PosixFilePermission.GROUP_READ) ? new FileModes(attrs.group().getName())
          : PRIVATE;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the permissions of folder " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates a new empty file with the file permissions (and group), failing if it exists.
   *
   * @throws IOException as {@link Files#createFile} does
   */
  public Path newFile(Path file) throws IOException {
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    apply(file, filePermissions());
    return file;
  }

  /** The permissions of a file: {@code rw-------} or {@code rw-r-----}. */
  public Set<PosixFilePermission> filePermissions() {
    return PosixFilePermissions.fromString(group == null ? "rw-------" : "rw-r-----");
  }

  /** The permissions of a folder: {@code rwx------} or {@code rwxr-x---}. */
  public Set<PosixFilePermission> dirPermissions() {
    return PosixFilePermissions.fromString(group == null ? "rwx------" : "rwxr-x---");
  }

  /** An attribute that creates a file with {@link #filePermissions()} (the umask may narrow it further). */
  public FileAttribute<Set<PosixFilePermission>> fileAttribute() {
    return PosixFilePermissions.asFileAttribute(filePermissions());
  }

  /**
   * Creates {@code dir} and its missing parents, and gives {@code dir} itself the folder permissions
   * (and group), also when it already existed.
   *
   * @return {@code dir}
   * @throws UncheckedIOException naming the folder
   */
  public Path directory(Path dir) {
    try {
      Files.createDirectories(dir);
      apply(dir, dirPermissions());
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create or protect folder " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Gives an existing file the file permissions (and group).
   *
   * @return {@code file}
   * @throws UncheckedIOException naming the file
   */
  public Path file(Path file) {
    try {
      apply(file, filePermissions());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot protect file " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@link #file(Path)} when the file exists; nothing otherwise. */
  public void fileIfExists(Path file) {
    if (Files.exists(file)) {
      file(file);
    }
  }

  private void apply(Path p, Set<PosixFilePermission> perms) throws IOException {
    // nothing can be written to a read-only file system either, so writers fail there with their own error
    if (!POSIX || Files.getFileStore(p).isReadOnly()) {
      return;
    }
    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
    if (group != null) {
      GroupPrincipal g = p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
      view.setGroup(g);
    }
    view.setPermissions(perms);
  }
}
