package dev.vigil.backup.checkpoint;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.vigil.backup.manifest.Json;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A recovery checkpoint (the documented {@code DisasterRecovery}): backups of every configured database
 * taken together under one name.
 *
 * @param name the checkpoint's name
 * @param createdAt when it was completed
 * @param backups backup file per database name
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Checkpoint(
    String name,
    @JsonSerialize(using = Json.InstantSerializer.class) @JsonDeserialize(using = Json.InstantDeserializer.class)
    Instant createdAt,
    Map<String, String> backups) {

  /** Validates and copies the parts (keeping the databases' order). */
  public Checkpoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    backups = Collections.unmodifiableMap(new LinkedHashMap<>(backups));
  }
}
