package dev.vigil.backup.retention;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * What a retention pass did.
 *
 * @param kept backups kept, newest first
 * @param deleted backups deleted
 * @param reasons for each kept backup, why (the restic rule, {@code newest verified} or {@code checkpoint NAME})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RetentionResult(List<String> kept, List<String> deleted, Map<String, List<String>> reasons) {
  /** Copies the parts. */
  public RetentionResult {
    kept = List.copyOf(kept);
    deleted = List.copyOf(deleted);
    reasons = Map.copyOf(reasons);
  }
}
