package dev.vigil.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.backup.manifest.Verification;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The records serialize to the seed's snake_case shapes with a plain {@code ObjectMapper}. */
class JsonShapesTest {
  private final ObjectMapper plain = new ObjectMapper();

  private static BackupRecord record(String name, LocalDateTime t, long bytes) {
    return new BackupRecord(name, bytes, t, "default", "postgresql", "plain", "gzip", true,
        "ab".repeat(32), 1234, null, new Verification(Instant.parse("2025-11-06T02:01:00Z"), true, "ok", 900));
  }

  @Test
  void backupRecordHasTheSeedsListFields() throws Exception {
    BackupRecord r = record("backup_20251106_020000.sql.gz", LocalDateTime.of(2025, 11, 6, 2, 0), 11_775_000);
    JsonNode json = plain.readTree(plain.writeValueAsString(r));
    assertThat(json.get("filename").asText()).isEqualTo("backup_20251106_020000.sql.gz");
    assertThat(json.get("size_mb").asDouble()).isEqualTo(11.23);
    assertThat(json.get("timestamp").asText()).isEqualTo("2025-11-06T02:00:00");
    assertThat(json.get("compressed").asBoolean()).isTrue();
    assertThat(json.get("database_type").asText()).isEqualTo("postgresql");
    assertThat(json.get("size_bytes").asLong()).isEqualTo(11_775_000);
    assertThat(json.get("sha256").asText()).hasSize(64);
    assertThat(json.get("duration_ms").asLong()).isEqualTo(1234);
    assertThat(json.get("verified").asBoolean()).isTrue();
    assertThat(json.get("verification").get("verified_at").asText()).isEqualTo("2025-11-06T02:01:00Z");
    assertThat(plain.readValue(plain.writeValueAsString(r), BackupRecord.class)).isEqualTo(r);
  }

  @Test
  void statsHaveTheSeedsFields() throws Exception {
    BackupStats s = BackupStats.of(List.of(
        record("backup_20251106_020000.sql.gz", LocalDateTime.of(2025, 11, 6, 2, 0), 11_775_000),
        record("backup_20251030_020000.sql.gz", LocalDateTime.of(2025, 10, 30, 2, 0), 10_000_000)));
    JsonNode json = plain.readTree(plain.writeValueAsString(s));
    assertThat(json.get("total_backups").asInt()).isEqualTo(2);
    assertThat(json.get("total_size_mb").asDouble()).isEqualTo(20.77);
    assertThat(json.get("oldest_backup").asText()).isEqualTo("2025-10-30T02:00:00");
    assertThat(json.get("newest_backup").asText()).isEqualTo("2025-11-06T02:00:00");
    assertThat(json.get("backups")).hasSize(2);
    assertThat(json.get("backups").get(0).get("filename").asText()).isEqualTo("backup_20251106_020000.sql.gz");
  }

  @Test
  void emptyStatsHaveNullDates() throws Exception {
    JsonNode json = plain.readTree(plain.writeValueAsString(BackupStats.of(List.of())));
    assertThat(json.get("total_backups").asInt()).isZero();
    assertThat(json.get("oldest_backup").isNull()).isTrue();
  }
}
