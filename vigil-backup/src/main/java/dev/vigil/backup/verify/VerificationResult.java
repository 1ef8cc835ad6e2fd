package dev.vigil.backup.verify;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.vigil.backup.manifest.Verification;
import java.util.List;
import java.util.SortedMap;

/**
 * The outcome of {@code DatabaseBackup.verifyBackup}: the checksum check, the test restore and the
 * comparison of row counts with the manifest.
 *
 * @param filename the backup verified
 * @param ok whether everything matched
 * @param checksumOk whether the file's SHA-256 equals the manifest's
 * @param restoreOk whether the test restore succeeded
 * @param expectedSha256 the manifest's checksum
 * @param actualSha256 the file's checksum
 * @param expectedRows rows per table in the manifest
 * @param restoredRows rows per table in the test restore (empty when it failed)
 * @param mismatches tables whose counts differ, as {@code table: expected N, got M}
 * @param verification what was recorded in the manifest (time, result, message, duration)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record VerificationResult(
    String filename,
    boolean ok,
    boolean checksumOk,
    boolean restoreOk,
    String expectedSha256,
    String actualSha256,
    SortedMap<String, Long> expectedRows,
    SortedMap<String, Long> restoredRows,
    List<String> mismatches,
    Verification verification) {

  /** Copies the lists. */
  public VerificationResult {
    mismatches = List.copyOf(mismatches);
  }

  /** The message: {@code ok} or what was wrong. */
  public String message() {
    return verification.message();
  }
}
