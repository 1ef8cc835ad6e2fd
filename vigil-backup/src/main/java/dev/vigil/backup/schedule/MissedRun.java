package dev.vigil.backup.schedule;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.vigil.backup.manifest.Json;
import java.time.LocalDateTime;

/**
 * Runs of a job that were due while no scheduler was running (found at {@code start()}).
 *
 * @param job the job
 * @param firstMissed the first fire time missed
 * @param lastMissed the last fire time missed
 * @param count how many fire times were missed (capped at 1000)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MissedRun(
    String job,
    @JsonSerialize(using = Json.LocalSerializer.class) @JsonDeserialize(using = Json.LocalDeserializer.class)
    LocalDateTime firstMissed,
    @JsonSerialize(using = Json.LocalSerializer.class) @JsonDeserialize(using = Json.LocalDeserializer.class)
    LocalDateTime lastMissed,
    int count) {
}
