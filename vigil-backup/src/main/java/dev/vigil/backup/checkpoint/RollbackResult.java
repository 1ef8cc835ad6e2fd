package dev.vigil.backup.checkpoint;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.vigil.backup.restore.RestoreResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished rollback to a checkpoint.
 *
 * @param checkpoint the checkpoint's name
 * @param restored the restore of each database (with its safety backup)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RollbackResult(String checkpoint, Map<String, RestoreResult> restored) {
  /** Copies the map, keeping its order. */
  public RollbackResult {
    restored = Collections.unmodifiableMap(new LinkedHashMap<>(restored));
  }
}
