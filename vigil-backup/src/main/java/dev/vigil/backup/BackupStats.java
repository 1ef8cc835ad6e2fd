package dev.vigil.backup;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.vigil.backup.manifest.Json;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The documented {@code get_backup_stats()}: {@code total_backups, total_size_mb, oldest_backup,
 * newest_backup, backups}, plus the newest verified backup.
 *
 * @param totalBackups number of backups
 * @param totalSizeMb their total size in MB, two decimals
 * @param oldestBackup time of the oldest backup, or {@code null} when there is none
 * @param newestBackup time of the newest backup, or {@code null}
 * @param newestVerified file name of the newest backup whose verification passed, or {@code null}
 * @param backups every backup, newest first
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"total_backups", "total_size_mb", "oldest_backup", "newest_backup", "newest_verified", "backups"})
public record BackupStats(
    int totalBackups,
    double totalSizeMb,
    @JsonSerialize(using = Json.LocalSerializer.class) @JsonDeserialize(using = Json.LocalDeserializer.class)
    LocalDateTime oldestBackup,
    @JsonSerialize(using = Json.LocalSerializer.class) @JsonDeserialize(using = Json.LocalDeserializer.class)
    LocalDateTime newestBackup,
    String newestVerified,
    List<BackupRecord> backups) {

  /** Copies the list. */
  public BackupStats {
    backups = List.copyOf(backups);
  }

  /** Computes the stats of {@code backups} (newest first). */
  public static BackupStats of(List<BackupRecord> backups) {
    long total = backups.stream().mapToLong(BackupRecord::sizeBytes).sum();
    String verified = backups.stream().filter(BackupRecord::verified).map(BackupRecord::filename).findFirst()
        .orElse(null);
    return new BackupStats(backups.size(), Math.round(total / 1048576.0 * 100) / 100.0,
        backups.isEmpty() ? null : backups.get(backups.size() - 1).timestamp(),
        backups.isEmpty() ? null : backups.get(0).timestamp(), verified, backups);
  }
}
