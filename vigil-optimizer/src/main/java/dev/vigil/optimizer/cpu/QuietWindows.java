package dev.vigil.optimizer.cpu;

import dev.vigil.monitor.history.HistoryPoint;
import dev.vigil.optimizer.Family;
import dev.vigil.optimizer.Finding;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Proposal;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Learns the host's quiet hours from its CPU history (hourly means over the last weeks): the hour of the
 * day heavy jobs disturb least, and the hours of the week that are usually busy. It reports (at
 * {@link Level#LOW}, for a person to decide: the backup schedule is the user's) when the daily backup
 * runs in a clearly busier hour than the quietest one, and tells the optimizer's busy check whether
 * now is usually a busy hour.
 */
public final class QuietWindows implements Finding {
  /** How far back the history is read, by default. */
  public static final Duration DEFAULT_LOOKBACK = Duration.ofDays(28);
  /** How much busier (CPU points) the backup hour must be than the quietest for a report. */
  public static final double MIN_DIFFERENCE = 10;
  /** Fewest days of history before anything is learned. */
  public static final int MIN_DAYS = 3;

  /** Reads CPU history: hourly points in {@code [from, to)}. */
  @FunctionalInterface
  public interface CpuHistory {
    /** Hourly points of host CPU use (%). */
    List<HistoryPoint> hourly(Instant from, Instant to) throws Exception;
  }

  private final CpuHistory history;
  private final Supplier<OptionalInt> backupHour;
  private final ZoneId zone;
  private final Clock clock;
  private final Duration lookback;

  /**
   * Windows learned from {@code history}.
   *
   * @param backupHour the hour (0–23, local) the daily backup runs at, empty when none is scheduled
   * @param zone the zone hours are counted in (the one the backup schedule uses)
   */
  public QuietWindows(CpuHistory history, Supplier<OptionalInt> backupHour, ZoneId zone, Clock clock,
      Duration lookback) {
    this.history = Objects.requireNonNull(history, "history");
    this.backupHour = Objects.requireNonNull(backupHour, "backupHour");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (lookback == null || lookback.compareTo(Duration.ofDays(MIN_DAYS)) < 0) {
      throw new IllegalArgumentException("quiet windows need at least " + MIN_DAYS + " days of history; got "
          + lookback);
    }
    this.lookback = lookback;
  }

  /** Mean CPU by hour of day (index 0–23; NaN where no data) and by hour of week (index 0–167, Monday 00:00 first). */
  record Profile(double[] byHour, double[] byWeekHour, long days) {
  }

  /** The profile learned from the history now. */
  Profile profile() throws Exception {
    Instant to = clock.instant();
    List<HistoryPoint> points = history.hourly(to.minus(lookback), to);
    double[] hourSum = new double[24];
    long[] hourN = new long[24];
    double[] weekSum = new double[168];
    long[] weekN = new long[168];
    Instant first = null;
    for (HistoryPoint p : points) {
      ZonedDateTime t = p.time().atZone(zone);
      int h = t.getHour();
      int w = (t.getDayOfWeek().getValue() - 1) * 24 + h;
      hourSum[h] += p.avg();
      hourN[h]++;
      weekSum[w] += p.avg();
      weekN[w]++;
      first = first == null || p.time().isBefore(first) ? p.time() : first;
    }
    double[] byHour = new double[24];
    for (int i = 0; i < 24; i++) {
      byHour[i] = hourN[i] == 0 ? Double.NaN : hourSum[i] / hourN[i];
    }
    double[] byWeek = new double[168];
    for (int i = 0; i < 168; i++) {
      byWeek[i] = weekN[i] == 0 ? Double.NaN : weekSum[i] / weekN[i];
    }
    long days = first == null ? 0 : Duration.between(first, to).toDays();
    return new Profile(byHour, byWeek, days);
  }

  /**
   * Whether the hour of the week {@code at} falls in is usually busy: its mean CPU is in the busiest
   * quarter of the week's hours and at least {@link #MIN_DIFFERENCE} points above the week's median.
   * False while fewer than {@link #MIN_DAYS} days are known.
   */
  public boolean usuallyBusy(Instant at) throws Exception {
    Profile p = profile();
    if (p.days() < MIN_DAYS) {
      return false;
    }
    double[] known = Arrays.stream(p.byWeekHour()).filter(v -> !Double.isNaN(v)).sorted().toArray();
    ZonedDateTime t = at.atZone(zone);
    double now = p.byWeekHour()[(t.getDayOfWeek().getValue() - 1) * 24 + t.getHour()];
    if (known.length < 24 || Double.isNaN(now)) {
      return false;
    }
    double q3 = known[(int) Math.floor(known.length * 0.75)];
    double median = known[known.length / 2];
    return now >= q3 && now - median >= MIN_DIFFERENCE;
  }

  @Override
  public String name() {
    return "cpu.quiet_window";
  }

  @Override
  public Family family() {
    return Family.CPU_IO;
  }

  @Override
  public List<Proposal> propose() throws Exception {
    OptionalInt scheduled = backupHour.get();
    if (scheduled.isEmpty()) {
      return List.of();
    }
    Profile p = profile();
    if (p.days() < MIN_DAYS) {
      return List.of();
    }
    int quietest = -1;
    for (int h = 0; h < 24; h++) {
      if (!Double.isNaN(p.byHour()[h]) && (quietest < 0 || p.byHour()[h] < p.byHour()[quietest])) {
        quietest = h;
      }
    }
    int at = scheduled.getAsInt();
    double atCpu = p.byHour()[at];
    if (quietest < 0 || Double.isNaN(atCpu) || atCpu - p.byHour()[quietest] < MIN_DIFFERENCE) {
      return List.of();
    }
    int quietWeekHour = 0;
    for (int i = 1; i < 168; i++) {
      if (!Double.isNaN(p.byWeekHour()[i]) && (Double.isNaN(p.byWeekHour()[quietWeekHour])
          || p.byWeekHour()[i] < p.byWeekHour()[quietWeekHour])) {
        quietWeekHour = i;
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("backup_hour", at);
    details.put("backup_hour_cpu_percent", atCpu);
    details.put("quiet_hour", quietest);
    details.put("quiet_hour_cpu_percent", p.byHour()[quietest]);
    details.put("quietest_hour_of_week", DayOfWeek.of(quietWeekHour / 24 + 1).getDisplayName(TextStyle.SHORT,
        Locale.ROOT) + String.format(Locale.ROOT, " %02d:00", quietWeekHour % 24));
    details.put("days", p.days());
    return List.of(new Proposal("cpu:quiet_window:backup", Family.CPU_IO, "move_backup_schedule", Level.LOW,
        String.format(Locale.ROOT, "daily backup: %02d:00 → %02d:00 (%s)", at, quietest, zone),
        String.format(Locale.ROOT, "over %d days the host's CPU averaged %.0f%% at %02d:00 and %.0f%% at %02d:00;"
            + " quietest hour of the week %s. Set backup.scheduler.hour=%d to move it", p.days(), atCpu, at,
            p.byHour()[quietest], quietest, details.get("quietest_hour_of_week"), quietest),
        "host CPU during backups (%)", details));
  }

  @Override
  public String what() {
    return "a quiet window";
  }
}
