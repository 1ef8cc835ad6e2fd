package dev.vigil.backup.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class TriggerTest {
  private static final ZoneId RIYADH = ZoneId.of("Asia/Riyadh");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void dailyFiresTodayOrTomorrow() {
    Trigger t = Trigger.daily(2, 0);
    assertThat(t.next(ZonedDateTime.of(2025, 11, 6, 1, 59, 0, 0, RIYADH)))
        .isEqualTo(ZonedDateTime.of(2025, 11, 6, 2, 0, 0, 0, RIYADH));
    assertThat(t.next(ZonedDateTime.of(2025, 11, 6, 2, 0, 0, 0, RIYADH)))
        .isEqualTo(ZonedDateTime.of(2025, 11, 7, 2, 0, 0, 0, RIYADH));
    assertThat(t.describe()).isEqualTo("daily at 02:00");
  }

  @Test
  void dailyAcrossADaylightSavingGapStillFiresOnce() {
    ZonedDateTime before = ZonedDateTime.of(2026, 3, 28, 12, 0, 0, 0, BERLIN);
    ZonedDateTime next = Trigger.daily(2, 30).next(before);
    assertThat(next.toLocalDate()).isEqualTo(java.time.LocalDate.of(2026, 3, 29));
    assertThat(next.getHour()).isEqualTo(3);
  }

  @Test
  void everyCountsFromThePreviousRun() {
    ZonedDateTime last = ZonedDateTime.of(2025, 11, 6, 3, 0, 0, 0, RIYADH);
    assertThat(Trigger.every(Duration.ofHours(6)).next(last)).isEqualTo(last.plusHours(6));
    assertThat(Trigger.every(Duration.ofHours(6)).describe()).isEqualTo("every 6h");
  }

  @Test
  void cronUsesUnixFields() {
    Trigger t = Trigger.cron("30 2 * * 1-5");
    ZonedDateTime friday = ZonedDateTime.of(2025, 11, 7, 3, 0, 0, 0, RIYADH);
    assertThat(t.next(friday)).isEqualTo(ZonedDateTime.of(2025, 11, 10, 2, 30, 0, 0, RIYADH));
  }

  @Test
  void badInputIsRejectedClearly() {
    assertThatThrownBy(() -> Trigger.daily(24, 0)).hasMessageContaining("hour must be 0-23");
    assertThatThrownBy(() -> Trigger.daily(2, 60)).hasMessageContaining("minute must be 0-59");
    assertThatThrownBy(() -> Trigger.every(Duration.ZERO)).hasMessageContaining("at least 1 second");
    assertThatThrownBy(() -> Trigger.cron("61 * * * *")).hasMessageContaining("invalid cron expression '61 * * * *'");
    assertThatThrownBy(() -> Trigger.cron("every day")).hasMessageContaining("five fields");
  }
}
