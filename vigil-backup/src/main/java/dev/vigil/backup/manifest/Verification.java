package dev.vigil.backup.manifest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of verifying a backup: checksum plus a test restore whose row counts are compared with
 * the manifest's.
 *
 * @param verifiedAt when the verification finished
 * @param ok whether the checksum matched, the test restore succeeded and every table's row count matched
 * @param message {@code "ok"} or what was wrong (checksum mismatch, restore error, differing tables)
 * @param durationMs how long it took
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Verification(
    @JsonSerialize(using = Json.InstantSerializer.class) @JsonDeserialize(using = Json.InstantDeserializer.class)
    Instant verifiedAt,
    boolean ok,
    String message,
    long durationMs) {

  /** Validates the parts. */
  public Verification {
    Objects.requireNonNull(verifiedAt, "verifiedAt");
    Objects.requireNonNull(message, "message");
  }
}
