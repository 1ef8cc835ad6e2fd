package dev.vigil.backup.retention;

import java.time.LocalDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Applies a {@link RetentionPolicy} to a history of backups, exactly as restic's
 * {@code ApplyPolicy}: walk the backups newest first; every rule with slots left keeps a backup whose
 * bucket (hour, day, ISO week, month, year; for "last", the backup itself) differs from the last
 * bucket that rule kept, or that is the oldest backup, and uses up one slot.
 */
public final class Retention {
  private Retention() {
  }

  /**
   * What to keep and what to remove.
   *
   * @param keep kept items, newest first
   * @param remove removed items, newest first
   * @param reasons for each kept item, the rules that kept it
   * @param <T> the item type
   */
  public record Decision<T>(List<T> keep, List<T> remove, Map<T, List<String>> reasons) {
  }

  /**
   * Decides which of {@code items} to keep.
   *
   * @param newestFirst orders items newest first (ties must be broken deterministically)
   * @param time the local time of an item, for the hour/day/week/month/year buckets
   */
  public static <T> Decision<T> apply(List<T> items, Comparator<T> newestFirst, Function<T, LocalDateTime> time,
      RetentionPolicy policy) {
    List<T> list = new ArrayList<>(items);
    list.sort(newestFirst);
    Map<T, List<String>> reasons = new LinkedHashMap<>();
    if (policy.isEmpty()) {
      list.forEach(t -> reasons.put(t, List.of("policy is empty")));
      return new Decision<>(list, List.of(), reasons);
    }
    Bucket[] buckets = {
        new Bucket(policy.keepLast(), "last", null),
        new Bucket(policy.keepHourly(), "hourly", t -> ((t.getYear() * 100L + t.getMonthValue()) * 100
            + t.getDayOfMonth()) * 100 + t.getHour()),
        new Bucket(policy.keepDaily(), "daily", t -> (t.getYear() * 100L + t.getMonthValue()) * 100
            + t.getDayOfMonth()),
        new Bucket(policy.keepWeekly(), "weekly", t -> t.get(IsoFields.WEEK_BASED_YEAR) * 100L
            + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)),
        new Bucket(policy.keepMonthly(), "monthly", t -> t.getYear() * 100L + t.getMonthValue()),
        new Bucket(policy.keepYearly(), "yearly", t -> (long) t.getYear()),
    };
    List<T> keep = new ArrayList<>();
    List<T> remove = new ArrayList<>();
    for (int nr = 0; nr < list.size(); nr++) {
      T cur = list.get(nr);
      LocalDateTime t = time.apply(cur);
      List<String> why = new ArrayList<>();
      for (Bucket b : buckets) {
        if (b.count > 0 || b.count == -1) {
          long val = b.key == null ? nr : b.key.apply(t);
          if (val != b.last || nr == list.size() - 1) {
            b.last = val;
            if (b.count > 0) {
              b.count--;
            }
            why.add(b.reason);
          }
        }
      }
      if (why.isEmpty()) {
        remove.add(cur);
      } else {
        keep.add(cur);
        reasons.put(cur, List.copyOf(why));
      }
    }
    return new Decision<>(keep, remove, reasons);
  }

  private static final class Bucket {
    int count;
    final String reason;
    final Function<LocalDateTime, Long> key;
    long last = -1;

    Bucket(int count, String reason, Function<LocalDateTime, Long> key) {
      this.count = count;
      this.reason = reason;
      this.key = key;
    }
  }
}
