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
  void redrawsAtMostTenTimesASecondButAlwaysTheEnd() {
    StringWriter sw = new StringWriter();
    Instant[] now = {Instant.EPOCH};
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    ProgressBar bar = new ProgressBar(new PrintWriter(sw), clock);
    bar.update("restore", "f", 1L << 20, 10L << 20);
    now[0] = now[0].plusMillis(50);
    bar.update("restore", "f", 2L << 20, 10L << 20);
    now[0] = now[0].plusMillis(60);
    bar.update("restore", "f", 3L << 20, 10L << 20);
    now[0] = now[0].plusMillis(10);
    bar.update("restore", "f", 10L << 20, 10L << 20);
    assertThat(sw.toString().split("\r", -1)).hasSize(4);
    assertThat(sw.toString()).doesNotContain("2.0 MB /").contains("3.0 MB /").contains("100%");
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
