package dev.vigil.backup.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Objects;

/**
 * When a scheduled job fires. {@link #next(ZonedDateTime)} is the first fire time strictly after a
 * reference time: the previous fire time when one is recorded, else the moment the scheduler starts.
 */
public sealed interface Trigger permits Trigger.Daily, Trigger.Every, Trigger.Cron {

  /** The first fire time strictly after {@code after}. */
  ZonedDateTime next(ZonedDateTime after);

  /** How the trigger reads in {@code jobs()}: {@code daily at 02:00}, {@code every 6h}, {@code cron 0 2 * * *}. */
  String describe();

  /** Every day at {@code hour:minute} in the scheduler clock's zone (the documented {@code BACKUP_HOUR}, {@code BACKUP_MINUTE}). */
  static Trigger daily(int hour, int minute) {
    return new Daily(hour, minute);
  }

  /** Every {@code period}, counted from the previous run. */
  static Trigger every(Duration period) {
    return new Every(period);
  }

  /** A Unix cron expression ({@code minute hour day-of-month month day-of-week}). */
  static Trigger cron(String expression) {
    return new Cron(expression);
  }

  /**
   * Every day at a fixed local time.
   *
   * @param hour 0–23
   * @param minute 0–59
   */
  record Daily(int hour, int minute) implements Trigger {
    /** Validates the time. */
    public Daily {
      if (hour < 0 || hour > 23) {
        throw new IllegalArgumentException("hour must be 0-23; got " + hour);
      }
      if (minute < 0 || minute > 59) {
        throw new IllegalArgumentException("minute must be 0-59; got " + minute);
      }
    }

    @Override
    public ZonedDateTime next(ZonedDateTime after) {
      ZonedDateTime candidate = ZonedDateTime.of(after.toLocalDate(), LocalTime.of(hour, minute), after.getZone());
      while (!candidate.isAfter(after)) {
        candidate = ZonedDateTime.of(candidate.toLocalDate().plusDays(1), LocalTime.of(hour, minute), after.getZone());
      }
      return candidate;
    }

    @Override
    public String describe() {
      return String.format(Locale.ROOT, "daily at %02d:%02d", hour, minute);
    }
  }

  /**
   * A fixed period.
   *
   * @param period at least one second
   */
  record Every(Duration period) implements Trigger {
    /** Validates the period. */
    public Every {
      Objects.requireNonNull(period, "period");
      if (period.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("period must be at least 1 second; got " + period);
      }
    }

    @Override
    public ZonedDateTime next(ZonedDateTime after) {
      return after.plus(period);
    }

    @Override
    public String describe() {
      if (period.toSeconds() % 3600 == 0) {
        return "every " + period.toHours() + "h";
      }
      return period.toSeconds() % 60 == 0 ? "every " + period.toMinutes() + "m" : "every " + period.toSeconds() + "s";
    }
  }

  /**
   * A Unix cron expression, evaluated with cron-utils.
   *
   * @param expression five fields, e.g. {@code 30 2 * * 1-5}
   */
  record Cron(String expression) implements Trigger {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /** Validates the expression. */
    public Cron {
      Objects.requireNonNull(expression, "expression");
      try {
        PARSER.parse(expression).validate();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid cron expression '" + expression + "': " + e.getMessage()
            + " (use five fields: minute hour day-of-month month day-of-week)", e);
      }
    }

    @Override
    public ZonedDateTime next(ZonedDateTime after) {
      return ExecutionTime.forCron(PARSER.parse(expression)).nextExecution(after)
          .orElseThrow(() -> new IllegalStateException("cron expression '" + expression + "' never fires after "
              + after));
    }

    @Override
    public String describe() {
      return "cron " + expression;
    }
  }
}
