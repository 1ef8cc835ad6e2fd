package dev.vigil.backup.manifest;

import dev.vigil.backup.BackupException;
import dev.vigil.backup.internal.fs.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and atomically writes manifests ({@code <backup file>.json}). */
public final class Manifests {
  private Manifests() {
  }

  /**
   * Reads a manifest.
   *
   * @throws BackupException when it is missing or not a valid manifest, naming the file
   */
  public static BackupManifest read(Path path) {
    try {
      return Json.MAPPER.readValue(Files.readAllBytes(path), BackupManifest.class);
    } catch (NoSuchFileException e) {
      throw new BackupException("manifest " + path + " is missing, so the backup's checksum and row counts are unknown",
          e);
    } catch (IOException e) {
      throw new BackupException("manifest " + path + " is not readable: " + e.getMessage(), e);
    }
  }

  /** Writes a manifest atomically (temp file, fsync, rename, fsync directory). */
  public static void write(Path path, BackupManifest manifest) {
    try {
      AtomicFiles.write(path, Json.MAPPER.writeValueAsBytes(manifest));
    } catch (IOException e) {
      throw new BackupException("writing manifest " + path + " failed: " + e.getMessage(), e);
    }
  }
}
