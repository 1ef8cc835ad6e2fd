package dev.vigil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void showsBytesPercentRateAndEta() {
    String line = ProgressBar.render("backup", "backup_20251106_020000.sql.gz", 25L << 20, 100L << 20,
        Duration.ofSeconds(5));
    assertThat(line).contains("backup backup_20251106_020000.sql.gz").contains(" 25% ").contains("25.0 MB / 100.0 MB")
        .contains("5.0 MB/s").contains("ETA 0:15");
  }

  @Test
  void unknownTotalShowsBytesAndRateOnly() {
    String line = ProgressBar.render("backup", "f", 10L << 20, -1, Duration.ofSeconds(2));
    assertThat(line).contains("10.0 MB").contains("5.0 MB/s").doesNotContain("ETA").doesNotContain("%");
  }

  @Test
  void redrawsInPlaceAndEndsTheLine() {
    StringWriter sw = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(sw), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    bar.update("verify", "f", 1L << 20, 2L << 20);
    bar.update("verify", "f", 2L << 20, 2L << 20);
    bar.finish();
    assertThat(sw.toString()).startsWith("\rverify f").contains("100%").endsWith(System.lineSeparator());
    assertThat(ProgressBar.forTerminal(new PrintWriter(sw))).isSameAs(dev.vigil.backup.BackupProgress.NONE);
  }
}
