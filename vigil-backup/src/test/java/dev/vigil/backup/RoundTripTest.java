package dev.vigil.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.backup.compress.Compression;
import dev.vigil.backup.engine.DumpFormat;
import dev.vigil.backup.manifest.BackupManifest;
import dev.vigil.backup.restore.RestoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backup → damage → restore round trips over the real engines: the content of every table (bytea/blob
 * with zero bytes, Arabic text, nulls, big rows) hashes the same after the restore as before.
 */
class RoundTripTest {
  @TempDir
  Path tmp;

  static Stream<Arguments> cases() {
    Function<Path, TestDatabases.Db> pg = d -> TestDatabases.postgres("rt");
    Function<Path, TestDatabases.Db> maria = d -> TestDatabases.mariadb("rt");
    Function<Path, TestDatabases.Db> lite = TestDatabases::sqlite;
    return Stream.of(
        Arguments.of("postgresql custom gzip", pg, Compression.GZIP, DumpFormat.CUSTOM),
        Arguments.of("postgresql plain zstd", pg, Compression.ZSTD, DumpFormat.PLAIN),
        Arguments.of("postgresql custom none", pg, Compression.NONE, DumpFormat.CUSTOM),
        Arguments.of("mariadb gzip", maria, Compression.GZIP, DumpFormat.CUSTOM),
        Arguments.of("mariadb zstd", maria, Compression.ZSTD, DumpFormat.CUSTOM),
        Arguments.of("sqlite gzip", lite, Compression.GZIP, DumpFormat.CUSTOM),
        Arguments.of("sqlite none", lite, Compression.NONE, DumpFormat.CUSTOM));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void contentSurvivesBackupAndRestore(String label, Function<Path, TestDatabases.Db> factory, Compression compression,
      DumpFormat pgFormat) throws Exception {
    try (TestDatabases.Db db = factory.apply(tmp)) {
      TestDatabases.fill(db, 300, 2, 700_000);
      SortedMap<String, String> before = TestDatabases.contentHashes(db);
      assertThat(before).containsKeys("items", "big", "empty_one");

      List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
      try (DatabaseBackup backups = DatabaseBackup.builder(db.url(), tmp.resolve("backups"))
          .compression(compression).postgresFormat(pgFormat)
          .progress((op, file, done, total) -> progress.add(op + ":" + file)).build()) {
        BackupRecord rec = backups.createBackup("manual");

        boolean pgCustomGzip = db.url().startsWith("postgresql") && pgFormat == DumpFormat.CUSTOM
            && compression == Compression.GZIP;
        assertThat(rec.filename()).startsWith("manual_")
            .endsWith(pgCustomGzip ? ".dump" : compression.extension());
        assertThat(rec.compression()).isEqualTo(compression.id());
        assertThat(rec.verified()).as(String.valueOf(rec.verification())).isTrue();
        assertThat(rec.compressed()).isEqualTo(compression != Compression.NONE);
        assertThat(rec.sha256()).hasSize(64);
        BackupManifest m = backups.manifest(rec.filename());
        assertThat(m.tables()).containsValue(300L).containsValue(2L).containsValue(0L);
        assertThat(m.toolVersions()).isNotEmpty();
        assertThat(Files.size(backups.backupDir().resolve(rec.filename()))).isEqualTo(rec.sizeBytes());
        assertThat(new ObjectMapper().writeValueAsString(rec)).contains("\"size_mb\"", "\"timestamp\"",
            "\"compressed\"", "\"filename\"");

        try (Connection c = db.connect(); Statement s = c.createStatement()) {
          s.executeUpdate("DELETE FROM items WHERE id > 10");
          s.executeUpdate("UPDATE big SET payload = NULL");
          s.execute("CREATE TABLE added_later (id INTEGER PRIMARY KEY)");
        }
        assertThat(TestDatabases.contentHashes(db)).isNotEqualTo(before);

        RestoreResult r = backups.restoreBackup(rec.filename());

        assertThat(r.safetyBackup()).startsWith("safety_");
        assertThat(progress).contains("backup:" + rec.filename(), "verify:" + rec.filename(),
            "restore:" + rec.filename());
        SortedMap<String, String> after = TestDatabases.contentHashes(db);
        after.remove("added_later");
        assertThat(after).isEqualTo(before);
        List<BackupRecord> list = backups.listBackups();
        assertThat(list).extracting(BackupRecord::filename).contains(rec.filename(), r.safetyBackup());
      }
    }
  }
}
