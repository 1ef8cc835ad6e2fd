package dev.vigil.backup.manifest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The manifest written beside every backup as {@code <file>.json}: what was dumped, with which
 * tools, its size and SHA-256, when, how long it took, the row count of every table (from the dump's
 * own snapshot) and the latest verification. A backup file is only ever given its final name after
 * its manifest is on disk.
 *
 * @param formatVersion manifest layout version (1)
 * @param filename the backup file
 * @param database the database's name in Vigil's configuration ({@code default} for {@code DATABASE_URL})
 * @param databaseUrl the database URL without its password
 * @param engine {@code postgresql}, {@code mysql} or {@code sqlite}
 * @param format {@code custom}, {@code plain} or {@code sqlite}
 * @param compression {@code none}, {@code gzip} or {@code zstd}
 * @param toolVersions dump tool and server versions
 * @param sizeBytes size of the backup file
 * @param sha256 SHA-256 of the backup file, lower-case hex
 * @param timestamp start time in the backup's clock zone (the time in the file name)
 * @param startedAt start instant
 * @param finishedAt end instant
 * @param durationMs how long the backup took
 * @param tables rows per table at backup time
 * @param checkpoint the recovery checkpoint this backup belongs to, or {@code null}
 * @param verification the latest verification, or {@code null} when never verified
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BackupManifest(
    int formatVersion,
    String filename,
    String database,
    String databaseUrl,
    String engine,
    String format,
    String compression,
    Map<String, String> toolVersions,
    long sizeBytes,
    String sha256,
    @JsonSerialize(using = Json.LocalSerializer.class) @JsonDeserialize(using = Json.LocalDeserializer.class)
    LocalDateTime timestamp,
    @JsonSerialize(using = Json.InstantSerializer.class) @JsonDeserialize(using = Json.InstantDeserializer.class)
    Instant startedAt,
    @JsonSerialize(using = Json.InstantSerializer.class) @JsonDeserialize(using = Json.InstantDeserializer.class)
    Instant finishedAt,
    long durationMs,
    SortedMap<String, Long> tables,
    String checkpoint,
    Verification verification) {

  /** The current layout version. */
  public static final int VERSION = 1;

  /** Validates and copies the parts. */
  public BackupManifest {
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(timestamp, "timestamp");
    toolVersions = toolVersions == null ? Map.of() : Map.copyOf(toolVersions);
    tables = tables == null ? new TreeMap<>() : new TreeMap<>(tables);
  }

  /** This manifest with {@code v} as its latest verification. */
  public BackupManifest withVerification(Verification v) {
    return new BackupManifest(formatVersion, filename, database, databaseUrl, engine, format, compression, toolVersions,
        sizeBytes, sha256, timestamp, startedAt, finishedAt, durationMs, tables, checkpoint, v);
  }

  /** This manifest as part of recovery checkpoint {@code name} ({@code null} to release it). */
  public BackupManifest withCheckpoint(String name) {
    return new BackupManifest(formatVersion, filename, database, databaseUrl, engine, format, compression, toolVersions,
        sizeBytes, sha256, timestamp, startedAt, finishedAt, durationMs, tables, name, verification);
  }

  /** Whether the latest verification passed. */
  public boolean verified() {
    return verification != null && verification.ok();
  }
}
