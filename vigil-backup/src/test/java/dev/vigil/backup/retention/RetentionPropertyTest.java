package dev.vigil.backup.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Property tests of restic's retention semantics over random backup histories (fixed seeds, so a
 * failure reproduces): every rule keeps exactly the newest backup of each of its newest N buckets
 * (plus the oldest backup when slots are left), nothing else is kept, and applying the policy again
 * to what was kept changes nothing.
 */
class RetentionPropertyTest {
  private static final Comparator<LocalDateTime> NEWEST_FIRST = Comparator.reverseOrder();

  @Test
  void randomHistoriesFollowResticSemantics() {
    Random random = new Random(20251106);
    for (int round = 0; round < 600; round++) {
      List<LocalDateTime> history = history(random);
      RetentionPolicy p = new RetentionPolicy(count(random), count(random), count(random), count(random),
          count(random), count(random));
      Retention.Decision<LocalDateTime> d = Retention.apply(history, NEWEST_FIRST, t -> t, p);
      String ctx = "round " + round + " policy " + p + " history " + history.size();

      assertThat(d.keep().size() + d.remove().size()).as(ctx).isEqualTo(history.size());
      Set<LocalDateTime> overlap = new HashSet<>(d.keep());
      overlap.retainAll(d.remove());
      assertThat(overlap).as(ctx).isEmpty();
      if (p.isEmpty()) {
        assertThat(d.remove()).as(ctx).isEmpty();
        continue;
      }
      Set<LocalDateTime> expected = new HashSet<>();
      List<LocalDateTime> sorted = new ArrayList<>(history);
      sorted.sort(NEWEST_FIRST);
      expected.addAll(expectedFor(sorted, p.keepLast(), t -> (long) sorted.indexOf(t)));
      expected.addAll(expectedFor(sorted, p.keepHourly(), t -> t.truncatedTo(ChronoUnit.HOURS).toEpochSecond(
          java.time.ZoneOffset.UTC)));
      expected.addAll(expectedFor(sorted, p.keepDaily(), t -> t.toLocalDate().toEpochDay()));
      expected.addAll(expectedFor(sorted, p.keepWeekly(), t -> t.get(IsoFields.WEEK_BASED_YEAR) * 100L
          + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
      expected.addAll(expectedFor(sorted, p.keepMonthly(), t -> t.getYear() * 100L + t.getMonthValue()));
      expected.addAll(expectedFor(sorted, p.keepYearly(), t -> (long) t.getYear()));
      assertThat(new HashSet<>(d.keep())).as(ctx).isEqualTo(expected);

      if (p.keepLast() > 0) {
        assertThat(d.keep()).as(ctx).containsAll(sorted.subList(0, Math.min(p.keepLast(), sorted.size())));
      }
      Retention.Decision<LocalDateTime> again = Retention.apply(d.keep(), NEWEST_FIRST, t -> t, p);
      assertThat(again.remove()).as("idempotent: " + ctx).isEmpty();
    }
  }

  @Test
  void sevenDailyBackupsKeepLastSeven() {
    List<LocalDateTime> days = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      days.add(LocalDateTime.of(2025, 10, 28, 2, 0).plusDays(i));
    }
    Retention.Decision<LocalDateTime> d = Retention.apply(days, NEWEST_FIRST, t -> t, RetentionPolicy.keepLast(7));
    assertThat(d.keep()).hasSize(7).first().isEqualTo(LocalDateTime.of(2025, 11, 6, 2, 0));
    assertThat(d.remove()).containsExactly(LocalDateTime.of(2025, 10, 30, 2, 0), LocalDateTime.of(2025, 10, 29, 2, 0),
        LocalDateTime.of(2025, 10, 28, 2, 0));
  }

  @Test
  void rejectsNegativeCounts() {
    assertThatThrownBy(() -> RetentionPolicy.keepLast(-2)).hasMessageContaining("keepLast");
  }

  /**
   * The reference semantics, written independently of {@link Retention}: group by bucket in time
   * order, keep the newest of each of the first {@code n} buckets, and the oldest backup when fewer
   * than {@code n} buckets exist.
   */
  private static Set<LocalDateTime> expectedFor(List<LocalDateTime> newestFirst, int n,
      Function<LocalDateTime, Long> bucket) {
    Set<LocalDateTime> out = new HashSet<>();
    if (n == 0 || newestFirst.isEmpty()) {
      return out;
    }
    Map<Long, LocalDateTime> newestPerBucket = new LinkedHashMap<>();
    for (LocalDateTime t : newestFirst) {
      newestPerBucket.putIfAbsent(bucket.apply(t), t);
    }
    int limit = n == -1 ? Integer.MAX_VALUE : n;
    List<LocalDateTime> firsts = new ArrayList<>(newestPerBucket.values());
    out.addAll(firsts.subList(0, Math.min(limit, firsts.size())));
    if (firsts.size() < limit) {
      out.add(newestFirst.get(newestFirst.size() - 1));
    }
    return out;
  }

  private static int count(Random r) {
    int x = r.nextInt(10);
    return x < 3 ? 0 : x == 9 ? -1 : r.nextInt(8) + 1;
  }

  private static List<LocalDateTime> history(Random r) {
    int n = r.nextInt(60);
    Set<LocalDateTime> set = new HashSet<>();
    LocalDateTime t = LocalDateTime.of(2023 + r.nextInt(3), 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24), 0);
    for (int i = 0; i < n; i++) {
      int gap = switch (r.nextInt(4)) {
        case 0 -> r.nextInt(90);
        case 1 -> r.nextInt(60 * 30);
        case 2 -> r.nextInt(60 * 24 * 10);
        default -> r.nextInt(60 * 24 * 120);
      };
      t = t.plusMinutes(gap + 1);
      set.add(t);
    }
    List<LocalDateTime> list = new ArrayList<>(set);
    java.util.Collections.shuffle(list, r);
    return list;
  }
}
