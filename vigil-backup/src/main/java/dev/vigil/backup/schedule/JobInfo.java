package dev.vigil.backup.schedule;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.vigil.backup.manifest.Json;
import java.time.LocalDateTime;

/**
 * A scheduled job as the documented {@code get_jobs()} shows it ({@code name, next_run_time, trigger}),
 * plus what it does and its last result.
 *
 * @param name job name
 * @param nextRunTime next fire time in the scheduler's zone (before start: the trigger's next from now)
 * @param trigger the trigger, e.g. {@code daily at 02:00}
 * @param kind {@code backup} or {@code verify}
 * @param lastRunTime fire time of the last run, or {@code null}
 * @param lastStatus {@code SUCCEEDED}, {@code FAILED}, {@code RUNNING} or {@code null}
 * @param lastMessage the last run's backup file or failure reason
 * @param missedRuns fire times missed while no instance ran, found at start
 * @param missedSince the first missed fire time, or {@code null}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"name", "next_run_time", "trigger"})
public record JobInfo(
    String name,
    @JsonSerialize(using = Json.LocalSerializer.class) @JsonDeserialize(using = Json.LocalDeserializer.class)
    LocalDateTime nextRunTime,
    String trigger,
    String kind,
    @JsonSerialize(using = Json.LocalSerializer.class) @JsonDeserialize(using = Json.LocalDeserializer.class)
    LocalDateTime lastRunTime,
    String lastStatus,
    String lastMessage,
    int missedRuns,
    @JsonSerialize(using = Json.LocalSerializer.class) @JsonDeserialize(using = Json.LocalDeserializer.class)
    LocalDateTime missedSince) {
}
