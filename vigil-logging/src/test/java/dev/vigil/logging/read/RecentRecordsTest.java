package dev.vigil.logging.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.logging.LogFiles;
import dev.vigil.logging.LogLevel;
import dev.vigil.logging.setup.ConfiguredLogging;
import dev.vigil.logging.setup.LoggingOptions;
import dev.vigil.logging.setup.LoggingSetup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class RecentRecordsTest {
  private final Logger log = LoggerFactory.getLogger("dev.vigil.test.Recent");

  private static List<Object> messages(RecentRecords.Result r) {
    return r.records().stream().map(m -> m.get("message")).toList();
  }

  private static void write(Path dir, boolean json) {
    Logger log = LoggerFactory.getLogger("dev.vigil.test.Recent");
    LoggingOptions o = LoggingOptions.defaults("app").withLogDir(dir).withConsole(false).withJson(json)
        .withMaxBytes(4096).withBackupCount(50);
    try (ConfiguredLogging logging = LoggingSetup.configure(o, false)) {
      for (int i = 0; i < 300; i++) {
        if (i % 10 == 0) {
          log.error("error " + i, new IllegalStateException("cause " + i));
        } else if (i % 5 == 0) {
          log.warn("warn " + i);
        } else {
          log.info("info " + i);
        }
      }
    }
  }

  @Test
  void newestErrorsFirstAcrossRotatedJsonFilesWithPaging(@TempDir Path dir) {
    write(dir, true);
    LogFiles files = new LogFiles(dir, "app");
    assertThat(LogFiles.generations(files.errors()).size()).isGreaterThan(1);
    RecentRecords.Result first = RecentRecords.read(files, LogLevel.ERROR, 0, 3);
    assertThat(messages(first)).containsExactly("error 290", "error 280", "error 270");
    assertThat(first.more()).isTrue();
    assertThat(((Map<?, ?>) first.records().get(0).get("exception")).get("message")).isEqualTo("cause 290");
    RecentRecords.Result last = RecentRecords.read(files, LogLevel.ERROR, 27, 10);
    assertThat(messages(last)).containsExactly("error 20", "error 10", "error 0");
    assertThat(last.more()).isFalse();
    RecentRecords.Result warnings = RecentRecords.read(files, LogLevel.WARNING, 0, 3);
    assertThat(messages(warnings)).containsExactly("warn 295", "error 290", "warn 285");
  }

  @Test
  void plainTextRecordsAreReadWithTheirStackTrace(@TempDir Path dir) {
    write(dir, false);
    RecentRecords.Result r = RecentRecords.read(new LogFiles(dir, "app"), LogLevel.ERROR, 0, 2);
    assertThat(messages(r)).containsExactly("error 290", "error 280");
    Map<String, Object> top = r.records().get(0);
    assertThat(top.get("level")).isEqualTo("ERROR");
    assertThat(top.get("logger")).isEqualTo("dev.vigil.test.Recent");
    assertThat(top.get("exception").toString()).contains("java.lang.IllegalStateException: cause 290");
  }

  @Test
  void aTornLastLineIsSkippedAndCounted(@TempDir Path dir) throws Exception {
    write(dir, true);
    LogFiles files = new LogFiles(dir, "app");
    Files.writeString(files.errors(), "{\"timestamp\":\"2026-", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    RecentRecords.Result r = RecentRecords.read(files, LogLevel.ERROR, 0, 1);
    assertThat(messages(r)).containsExactly("error 290");
    assertThat(r.skippedLines()).isEqualTo(1);
  }

  @Test
  void noFilesYetMeansNoRecordsAndBadArgumentsAreRefused(@TempDir Path dir) {
    RecentRecords.Result r = RecentRecords.read(new LogFiles(dir, "none"), LogLevel.INFO, 0, 10);
    assertThat(r.records()).isEmpty();
    assertThat(r.more()).isFalse();
    assertThatThrownBy(() -> RecentRecords.read(new LogFiles(dir, "none"), LogLevel.INFO, -1, 10))
        .hasMessageContaining("skip");
  }
}
