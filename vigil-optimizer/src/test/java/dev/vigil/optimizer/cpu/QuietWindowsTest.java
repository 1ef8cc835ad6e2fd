package dev.vigil.optimizer.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.testing.MutableClock;
import dev.vigil.monitor.history.HistoryPoint;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Proposal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Two weeks of hourly CPU history: the backup hour is busier than the quietest hour, so moving it is
 * reported (not applied), and the busy check knows the usually busy hour of the week.
 */
class QuietWindowsTest {
  private static final ZoneId ZONE = ZoneOffset.UTC;

  @Test
  void backupInABusyHourIsReportedWithTheQuietestOneAndBusyHoursOfTheWeekAreKnown() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
    List<HistoryPoint> points = new ArrayList<>();
    for (Instant t = clock.instant().minus(Duration.ofDays(14)); t.isBefore(clock.instant());
        t = t.plus(Duration.ofHours(1))) {
      ZonedDateTime z = t.atZone(ZONE);
      double cpu = z.getHour() == 2 ? 65 : z.getHour() == 4 ? 4 : 25;
      if (z.getDayOfWeek() == DayOfWeek.MONDAY && z.getHour() == 10) {
        cpu = 95;
      }
      points.add(new HistoryPoint(t, cpu, cpu, cpu, 720));
    }
    QuietWindows.CpuHistory history = (from, to) -> points.stream()
        .filter(p -> !p.time().isBefore(from) && p.time().isBefore(to)).toList();
    QuietWindows windows = new QuietWindows(history, () -> OptionalInt.of(2), ZONE, clock, Duration.ofDays(28));
    Proposal p = windows.propose().get(0);
    assertThat(p.level()).isEqualTo(Level.LOW);
    assertThat(p.reportOnly()).isTrue();
    assertThat(p.key()).isEqualTo("cpu:quiet_window:backup");
    assertThat(p.target()).contains("02:00 → 04:00");
    assertThat(p.reason()).contains("65%").contains("4%").contains("backup.scheduler.hour=4");
    assertThatThrownBy(() -> windows.apply(p)).isInstanceOf(UnsupportedOperationException.class);

    assertThat(windows.usuallyBusy(Instant.parse("2026-12-07T10:30:00Z"))).isTrue();
    assertThat(windows.usuallyBusy(Instant.parse("2026-12-08T10:30:00Z"))).isFalse();
    assertThat(windows.usuallyBusy(Instant.parse("2026-12-07T04:30:00Z"))).isFalse();

    assertThat(new QuietWindows(history, () -> OptionalInt.of(4), ZONE, clock, Duration.ofDays(28)).propose())
        .isEmpty();
    assertThat(new QuietWindows(history, OptionalInt::empty, ZONE, clock, Duration.ofDays(28)).propose()).isEmpty();
  }
}
