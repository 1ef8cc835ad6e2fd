package dev.vigil.backup.restore;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.vigil.backup.manifest.Json;
import java.time.Instant;

/**
 * A finished restore.
 *
 * @param filename the backup restored
 * @param database the database's configured name
 * @param safetyBackup the backup of the state before the restore, or {@code null} when none was taken
 * @param note why no safety backup was taken, or {@code null}
 * @param restoredAt when the restore finished
 * @param durationMs how long it took, safety backup included
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RestoreResult(
    String filename,
    String database,
    String safetyBackup,
    String note,
    @JsonSerialize(using = Json.InstantSerializer.class) @JsonDeserialize(using = Json.InstantDeserializer.class)
    Instant restoredAt,
    long durationMs) {
}
