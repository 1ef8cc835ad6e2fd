package dev.vigil.backup.store;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.vigil.backup.manifest.Json;
import java.time.Instant;

/**
 * One recorded operation on a database's backups: a backup, verification, restore, deletion or
 * retention pass, with its status and, when it failed, the reason (secrets removed).
 *
 * @param id run id
 * @param database the database's configured name
 * @param operation {@code BACKUP}, {@code VERIFY}, {@code RESTORE}, {@code DELETE} or {@code RETENTION}
 * @param filename the backup file concerned, when known
 * @param status {@code RUNNING}, {@code SUCCEEDED} or {@code FAILED}
 * @param startedAt start
 * @param finishedAt end, or {@code null} while running
 * @param sizeBytes size of the file written, when any
 * @param sha256 checksum of the file written, when any
 * @param reason why it failed (tool exit code and stderr tail, or the interruption), else {@code null}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BackupRun(
    String id,
    String database,
    String operation,
    String filename,
    String status,
    @JsonSerialize(using = Json.InstantSerializer.class) @JsonDeserialize(using = Json.InstantDeserializer.class)
    Instant startedAt,
    @JsonSerialize(using = Json.InstantSerializer.class) @JsonDeserialize(using = Json.InstantDeserializer.class)
    Instant finishedAt,
    Long sizeBytes,
    String sha256,
    String reason) {

  /** Status of a run in progress. */
  public static final String RUNNING = "RUNNING";
  /** Status of a run that finished well. */
  public static final String SUCCEEDED = "SUCCEEDED";
  /** Status of a run that failed or was interrupted. */
  public static final String FAILED = "FAILED";
}
