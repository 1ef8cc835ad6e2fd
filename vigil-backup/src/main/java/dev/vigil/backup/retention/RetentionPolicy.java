package dev.vigil.backup.retention;

/**
 * Which backups to keep, with restic's {@code forget} semantics: the newest {@code keepLast}, plus
 * the newest backup of each of the last {@code keepHourly} hours, {@code keepDaily} days,
 * {@code keepWeekly} ISO weeks, {@code keepMonthly} months and {@code keepYearly} years that have
 * backups. A count of 0 turns a rule off and -1 keeps every such slot. As in restic, when a rule
 * still has slots left at the oldest backup, the oldest backup is kept too, and a policy with all
 * rules off keeps everything.
 *
 * @param keepLast newest backups to keep (the documented {@code MAX_BACKUPS})
 * @param keepHourly hourly slots
 * @param keepDaily daily slots
 * @param keepWeekly weekly slots
 * @param keepMonthly monthly slots
 * @param keepYearly yearly slots
 */
public record RetentionPolicy(int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly,
    int keepYearly) {

  /** Validates the counts. */
  public RetentionPolicy {
    check("keepLast", keepLast);
    check("keepHourly", keepHourly);
    check("keepDaily", keepDaily);
    check("keepWeekly", keepWeekly);
    check("keepMonthly", keepMonthly);
    check("keepYearly", keepYearly);
  }

  /** Keep the newest {@code n} only (the documented {@code max_backups}). */
  public static RetentionPolicy keepLast(int n) {
    return new RetentionPolicy(n, 0, 0, 0, 0, 0);
  }

  /** This policy with {@code n} daily slots. */
  public RetentionPolicy withDaily(int n) {
    return new RetentionPolicy(keepLast, keepHourly, n, keepWeekly, keepMonthly, keepYearly);
  }

  /** This policy with {@code n} hourly slots. */
  public RetentionPolicy withHourly(int n) {
    return new RetentionPolicy(keepLast, n, keepDaily, keepWeekly, keepMonthly, keepYearly);
  }

  /** This policy with {@code n} weekly slots. */
  public RetentionPolicy withWeekly(int n) {
    return new RetentionPolicy(keepLast, keepHourly, keepDaily, n, keepMonthly, keepYearly);
  }

  /** This policy with {@code n} monthly slots. */
  public RetentionPolicy withMonthly(int n) {
    return new RetentionPolicy(keepLast, keepHourly, keepDaily, keepWeekly, n, keepYearly);
  }

  /** This policy with {@code n} yearly slots. */
  public RetentionPolicy withYearly(int n) {
    return new RetentionPolicy(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, n);
  }

  /** Whether every rule is off (then everything is kept). */
  public boolean isEmpty() {
    return keepLast == 0 && keepHourly == 0 && keepDaily == 0 && keepWeekly == 0 && keepMonthly == 0
        && keepYearly == 0;
  }

  private static void check(String name, int n) {
    if (n < -1) {
      throw new IllegalArgumentException(name + " must be -1 (all), 0 (off) or a positive count; got " + n);
    }
  }
}
