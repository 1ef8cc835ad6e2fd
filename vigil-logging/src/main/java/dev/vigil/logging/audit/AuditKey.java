package dev.vigil.logging.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that signs audit checkpoints (HMAC-SHA256): 32 random bytes, base64, in
 * {@code <data dir>/audit.key}, created with mode 0600 on first use. Whoever can rewrite the log but
 * does not hold this key cannot forge a checkpoint that matches a rewritten chain.
 */
final class AuditKey {
  /** File name in the data dir. */
  static final String FILE = "audit.key";

  private final SecretKeySpec key;

  private AuditKey(byte[] secret) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  /** Reads the key of {@code dataDir}, creating it (0600) when absent and {@code create} is set. */
  static AuditKey load(Path dataDir, boolean create) {
    Path file = dataDir.resolve(FILE);
    try {
      if (Files.notExists(file) && create) {
        Files.createDirectories(dataDir);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, Base64.getEncoder().encodeToString(secret) + "\n");
          return new AuditKey(secret);
        } catch (FileAlreadyExistsException raced) {
          // another process created it first: read theirs below
        }
      }
      if (Files.notExists(file)) {
        throw new AuditException("audit key " + file + " does not exist: checkpoints cannot be checked");
      }
      byte[] secret = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
      if (secret.length < 32) {
        throw new AuditException("audit key " + file + " is shorter than 32 bytes");
      }
      return new AuditKey(secret);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the audit key " + file, e);
    } catch (IllegalArgumentException e) {
      throw new AuditException("audit key " + file + " is not base64: " + e.getMessage());
    }
  }

  /** HMAC-SHA256 (hex) of {@code text}. */
  String mac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return RecordLine.hex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
