package dev.vigil.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.backup.compress.Compression;
import dev.vigil.backup.engine.DumpFormat;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackupNameTest {

  @Test
  void seedNameParsesAndFormatsBack() {
    BackupName n = BackupName.parse("backup_20251106_020000.sql.gz");
    assertThat(n.prefix()).isEqualTo("backup");
    assertThat(n.timestamp()).isEqualTo(LocalDateTime.of(2025, 11, 6, 2, 0, 0));
    assertThat(n.format()).isEqualTo(DumpFormat.PLAIN);
    assertThat(n.compression()).isEqualTo(Compression.GZIP);
    assertThat(n.filename()).isEqualTo("backup_20251106_020000.sql.gz");
    assertThat(n.manifestFilename()).isEqualTo("backup_20251106_020000.sql.gz.json");
  }

  @Test
  void everyFormatAndCompressionRoundTrips() {
    for (DumpFormat f : DumpFormat.values()) {
      for (Compression c : Compression.values()) {
        BackupName n = new BackupName("manual", LocalDateTime.of(2026, 1, 2, 3, 4, 5), 2, f, c);
        assertThat(BackupName.parse(n.filename())).isEqualTo(n);
      }
    }
  }

  @Test
  void sequenceOrdersNamesWithinOneSecond() {
    BackupName a = BackupName.parse("backup_20251106_020000.dump.zst");
    BackupName b = BackupName.parse("backup_20251106_020000_1.dump.zst");
    BackupName c = BackupName.parse("backup_20251106_020001.dump.zst");
    assertThat(a).isLessThan(b);
    assertThat(b).isLessThan(c);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../backup_20251106_020000.sql.gz", "/etc/passwd", "..", ".", "",
      "backup_20251106_020000.sql.gz/../../etc/passwd", "%2e%2e%2fbackup_20251106_020000.sql.gz",
      "..%2F..%2Fetc%2Fpasswd", "backup_20251106_020000.sql.gz%00", "backup_20251106_020000.sql.gz\0",
      "backup_20251106_020000.exe", "Backup_20251106_020000.sql", "backup_20251306_020000.sql",
      "backup_20251106_020000.sql.gz.json", "..\\..\\windows", "backup_20251106_020000.sql.bz2",
      "/work/backups/backup_20251106_020000.sql.gz", "\u202ebackup_20251106_020000.sql.gz"})
  void rejectsEverythingElseWithAClearMessage(String name) {
    assertThatThrownBy(() -> BackupName.parse(name))
        .isInstanceOf(InvalidBackupNameException.class)
        .hasMessageContaining("backup file name");
  }

  @Test
  void traversalMessageSaysWhy() {
    assertThatThrownBy(() -> BackupName.parse("../../etc/passwd")).hasMessageContaining("path separator");
    assertThatThrownBy(() -> BackupName.parse("..%2f..%2fetc")).hasMessageContaining("'..'");
    assertThatThrownBy(() -> BackupName.parse("%2e%2e%2fetc")).hasMessageContaining("percent-encoding");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "../x", "Backup", "a_b", "with space", "-lead", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
  void rejectsBadPrefixes(String prefix) {
    assertThatThrownBy(() -> BackupName.checkPrefix(prefix)).isInstanceOf(InvalidBackupNameException.class)
        .hasMessageContaining("prefix");
  }
}
