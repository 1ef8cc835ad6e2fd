package dev.vigil.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.vigil.backup.manifest.BackupManifest;
import dev.vigil.backup.manifest.Json;
import dev.vigil.backup.manifest.Verification;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One backup in its documented shape: {@code filename, size_mb, timestamp, compressed}, plus the size in
 * bytes, database type, checksum, duration and latest verification. Serializes to snake_case JSON
 * with a plain {@code ObjectMapper}.
 *
 * @param filename the backup file name (see {@link BackupName})
 * @param sizeBytes file size
 * @param timestamp when the backup started, local time of the backup's clock
 * @param database the database's configured name
 * @param databaseType {@code postgresql}, {@code mysql} or {@code sqlite}
 * @param format {@code custom}, {@code plain} or {@code sqlite}
 * @param compression {@code none}, {@code gzip} or {@code zstd}
 * @param compressed whether the file is compressed
 * @param sha256 SHA-256 of the file, or {@code null} for a file without manifest
 * @param durationMs how long the backup took, or 0 when unknown
 * @param checkpoint the recovery checkpoint holding this backup, or {@code null}
 * @param verification the latest verification, or {@code null}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"filename", "size_mb", "timestamp", "compressed"})
@JsonIgnoreProperties(value = {"size_mb", "verified"}, allowGetters = true)
public record BackupRecord(
    String filename,
    long sizeBytes,
    @JsonSerialize(using = Json.LocalSerializer.class) @JsonDeserialize(using = Json.LocalDeserializer.class)
    LocalDateTime timestamp,
    String database,
    String databaseType,
    String format,
    String compression,
    boolean compressed,
    String sha256,
    long durationMs,
    String checkpoint,
    Verification verification) {

  /** Validates the parts. */
  public BackupRecord {
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(timestamp, "timestamp");
  }

  /** The record of a backup described by its manifest. */
  public static BackupRecord of(BackupManifest m) {
    return new BackupRecord(m.filename(), m.sizeBytes(), m.timestamp(), m.database(), m.engine(), m.format(),
        m.compression(), !"none".equals(m.compression()), m.sha256(), m.durationMs(), m.checkpoint(),
        m.verification());
  }

  /** Size in MB (1024²), two decimals, as the documented {@code size_mb}. */
  @JsonProperty("size_mb")
  public double sizeMb() {
    return Math.round(sizeBytes / 1048576.0 * 100) / 100.0;
  }

  /** Whether the latest verification passed. */
  @JsonProperty("verified")
  public boolean verified() {
    return verification != null && verification.ok();
  }
}
