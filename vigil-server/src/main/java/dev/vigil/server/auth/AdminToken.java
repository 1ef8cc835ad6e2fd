package dev.vigil.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The first-start admin token: created when no active admin token exists, printed once and written
 * to {@code <data dir>/admin.token} with mode 0600 so only its owner can read it.
 */
public final class AdminToken {
  /** File name of the admin token in the data dir. */
  public static final String FILE = "admin.token";

  private AdminToken() {
  }

  /**
   * Creates the admin token if none is active.
   *
   * @return the new token, or empty when an admin token already existed
   */
  public static Optional<TokenStore.IssuedToken> ensure(TokenStore tokens, Path dataDir) {
    if (tokens.hasActiveAdmin()) {
      return Optional.empty();
    }
    TokenStore.IssuedToken issued = tokens.create("admin (first start)", Role.ADMIN);
    Path file = dataDir.resolve(FILE);
    try {
      Files.createDirectories(dataDir);
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, issued.token() + "\n", StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the admin token to " + file, e);
    }
    return Optional.of(issued);
  }
}
